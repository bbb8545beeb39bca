package goose.session;

/**
 * Makes a turn's lease when the store writes the turn ({@link SessionStore#startTurn}), not when
 * the caller asked for the write: on SQLite the write can wait behind a long queue of others
 * (thousands of streaming turns), and a lease stamped before that wait would start half spent, or
 * lapsed.
 */
@FunctionalInterface
public interface LeaseGrant {
  /** The lease to record, made now; called inside the write, once per attempt. */
  TurnLease grant();
}

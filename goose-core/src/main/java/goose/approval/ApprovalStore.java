package goose.approval;

import java.util.List;
import java.util.Optional;

/**
 * Pending tool approvals and the tools each user always allows. Thread-safe; each call is its own
 * transaction, so a decision is taken exactly once even when several instances share the database.
 */
public interface ApprovalStore {

  /**
   * Stores a new open approval, replacing a decided one of the same call id (some models reuse call
   * ids); while one is open, a second for the same session and call id is an {@link
   * IllegalStateException}.
   */
  void open(PendingApproval approval);

  Optional<PendingApproval> get(String sessionId, String callId);

  /** Open approvals of a session, oldest first. */
  List<PendingApproval> openIn(String sessionId);

  /**
   * Records the decision if the approval is still open and is for the call of {@code callHash};
   * false when it was already decided, is for another call, or is unknown.
   */
  boolean decide(String sessionId, String callId, String callHash, ApprovalDecision decision);

  /**
   * Replaces whatever approval this call id has (open or decided, for whichever call) with a new
   * open one: for a resumed turn whose stored approval does not match its call exactly.
   */
  void reopen(PendingApproval approval);

  /**
   * Claims an approval decided to run its call ({@code allow_once}, {@code always_allow}) for one
   * run of that call by {@code instanceId}: true when this claim marked it, and only then may the
   * call run. False when it is claimed already, is not decided to run, is for another call, or —
   * when {@code leasedTurnId} is given — the session's turn of that id no longer runs under a lease
   * of {@code instanceId} that lasts past now by the store's clock, the one leases are written by
   * (another instance took it over). So an approved call runs at most once, also when two instances
   * both see the decision.
   */
  boolean claim(
      String sessionId,
      String callId,
      String callHash,
      String instanceId,
      Optional<String> leasedTurnId);

  /** Remembers {@code always_allow} of this user for this tool (idempotent). */
  void alwaysAllow(String user, String tool);

  boolean isAlwaysAllowed(String user, String tool);
}

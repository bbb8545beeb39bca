package goose.session;

import static goose.session.StoreRows.TURN_COLUMNS;
import static goose.session.StoreRows.nanos;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The turns table of a {@link JdbcSessionStore}: a turn's start (at most one running per session,
 * an optional client request id that makes a retried start answer with the first), its end, the
 * cancel flag, and the leases by which the instance that runs a turn keeps it while several
 * instances share the store. The store delegates its turn methods here, with the same contracts
 * ({@link SessionStore}).
 */
final class JdbcTurns {
  private static final int START_TURN_ATTEMPTS = 3;

  /**
   * A literal, not a parameter, so that both planners can use the partial index turns_one_running.
   */
  private static final String IS_RUNNING = "status = 'running'";

  private final SqlDatabase db;

  JdbcTurns(SqlDatabase db) {
    this.db = db;
  }

  Turn start(
      String sessionId,
      String turnId,
      Optional<String> requestId,
      Optional<String> requestHash,
      long firstSeq,
      Optional<? extends LeaseGrant> lease) {
    Turn wanted =
        new Turn(turnId, sessionId, requestId, TurnStatus.RUNNING, Instant.now(), firstSeq);
    for (int attempt = 1; ; attempt++) {
      try {
        return write(
            c -> {
              // The turn's first event comes after every event stored so far, read in the insert's
              // transaction under the session row's lock: a turn that ends meanwhile (its last
              // event and its end are one transaction, finishIn) is then wholly before this one,
              // never its first event.
              long first = Math.max(firstSeq, lockSession(c, sessionId) + 1);
              Optional<TurnLease> granted =
                  lease.map(LeaseGrant::grant); // now, not before the wait
              Sql.update(
                  c,
                  "INSERT INTO turns ("
                      + TURN_COLUMNS
                      + ", request_hash, instance_id, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                      + clock()
                      + " + ?)",
                  turnId,
                  sessionId,
                  requestId.orElse(null),
                  StoreRows.status(TurnStatus.RUNNING),
                  nanos(wanted.startedAt()),
                  first,
                  requestHash.orElse(null),
                  granted.map(TurnLease::instanceId).orElse(null),
                  granted.map(l -> l.length().toNanos()).orElse(null));
              return new Turn(
                  turnId, sessionId, requestId, TurnStatus.RUNNING, wanted.startedAt(), first);
            });
      } catch (StoreException e) {
        if (!(e.getCause() instanceof SQLException cause)) throw e;
        switch (db.dialect().violation(cause)) {
          case FOREIGN_KEY -> throw new SessionNotFoundException(sessionId);
          case UNIQUE -> explainTurnConflict(wanted, cause);
          case OTHER -> throw e;
        }
        // the conflicting turn ended between our insert and the look-up: try again
        if (attempt == START_TURN_ATTEMPTS) throw e;
      }
    }
  }

  /**
   * Takes the session row's write lock in the caller's transaction and answers its last event's
   * number. Every write that touches both a session's turn and its events takes this first, so two
   * of them never wait for each other in opposite orders.
   */
  static long lockSession(Connection c, String sessionId) throws SQLException {
    return Sql.first(
            c,
            "UPDATE sessions SET last_event_seq = last_event_seq WHERE id = ? RETURNING last_event_seq",
            rs -> rs.getLong(1),
            sessionId)
        .orElseThrow(() -> new SessionNotFoundException(sessionId));
  }

  /**
   * Throws the reason a turn insert broke a unique index; returns when the reason has gone away.
   */
  private void explainTurnConflict(Turn turn, SQLException cause) {
    if (turn.requestId().isPresent()) {
      Optional<Turn> earlier = byRequestId(turn.sessionId(), turn.requestId().get());
      if (earlier.isPresent()) {
        throw new IllegalStateException(
            "request id "
                + turn.requestId().get()
                + " was already used by turn "
                + earlier.get().id()
                + " of session "
                + turn.sessionId(),
            cause);
      }
    }
    Optional<Turn> running = running(turn.sessionId());
    if (running.isPresent()) throw new TurnConflictException(turn.sessionId(), running.get().id());
    boolean idTaken =
        read(c -> Sql.first(c, "SELECT 1 FROM turns WHERE id = ?", rs -> true, turn.id()))
            .isPresent();
    if (idTaken)
      throw new IllegalStateException("turn id " + turn.id() + " is already used", cause);
  }

  Optional<Turn> byRequestId(String sessionId, String requestId) {
    return read(
        c ->
            Sql.first(
                c,
                "SELECT " + TURN_COLUMNS + " FROM turns WHERE session_id = ? AND request_id = ?",
                StoreRows::turn,
                sessionId,
                requestId));
  }

  Optional<String> requestHash(String sessionId, String requestId) {
    return read(c ->
            Sql.first(
                c,
                "SELECT request_hash FROM turns WHERE session_id = ? AND request_id = ?",
                rs -> Optional.ofNullable(rs.getString(1)),
                sessionId,
                requestId))
        .flatMap(hash -> hash);
  }

  Optional<Turn> running(String sessionId) {
    return read(
        c ->
            Sql.first(
                c,
                "SELECT " + TURN_COLUMNS + " FROM turns WHERE session_id = ? AND " + IS_RUNNING,
                StoreRows::turn,
                sessionId));
  }

  void finish(String sessionId, String turnId, TurnStatus status) {
    write(c -> finishIn(c, sessionId, turnId, status, Optional.empty()));
  }

  /**
   * Ends a running turn in the caller's transaction (with {@code leaseHolder}, only while that
   * instance holds it): true when it ended here, false when it had already ended or is another
   * instance's (its status stays); throws {@link NoSuchElementException} for an unknown turn.
   */
  boolean finishIn(
      Connection c,
      String sessionId,
      String turnId,
      TurnStatus status,
      Optional<String> leaseHolder)
      throws SQLException {
    if (status == TurnStatus.RUNNING)
      throw new IllegalArgumentException("a turn cannot finish as running");
    String sql =
        "UPDATE turns SET status = ?, finished_at = ? WHERE session_id = ? AND id = ? AND "
            + IS_RUNNING;
    int changed =
        leaseHolder.isPresent()
            ? Sql.update(
                c,
                sql + " AND instance_id = ?",
                StoreRows.status(status),
                nanos(Instant.now()),
                sessionId,
                turnId,
                leaseHolder.get())
            : Sql.update(c, sql, StoreRows.status(status), nanos(Instant.now()), sessionId, turnId);
    if (changed > 0) return true;
    boolean known =
        Sql.first(
                c,
                "SELECT 1 FROM turns WHERE session_id = ? AND id = ?",
                rs -> true,
                sessionId,
                turnId)
            .isPresent();
    if (!known) throw new NoSuchElementException("no turn " + turnId + " in session " + sessionId);
    return false;
  }

  /** Deletes a running turn that stored nothing, so that its request id can start anew. */
  void abandon(String sessionId, String turnId) {
    write(
        c ->
            Sql.update(
                c,
                "DELETE FROM turns WHERE session_id = ? AND id = ? AND " + IS_RUNNING,
                sessionId,
                turnId));
  }

  List<HeldTurn> renewLeases(String instanceId, Collection<String> turnIds, Duration lease) {
    if (turnIds.isEmpty()) return List.of();
    List<Object> args = new ArrayList<>();
    args.add(lease.toNanos());
    args.add(instanceId);
    args.addAll(turnIds);
    String ids = String.join(", ", Collections.nCopies(turnIds.size(), "?"));
    return writeFirst(
        c ->
            Sql.all(
                c,
                "UPDATE turns SET lease_until = "
                    + clock()
                    + " + ? WHERE instance_id = ? AND "
                    + IS_RUNNING
                    + " AND id IN ("
                    + ids
                    + ") RETURNING session_id, id, cancel_requested",
                rs -> new HeldTurn(rs.getString(1), rs.getString(2), rs.getBoolean(3)),
                args.toArray()));
  }

  List<Turn> expired() {
    return runningWhere(" AND lease_until < " + clock());
  }

  boolean takeOver(String turnId, TurnLease lease) {
    return writeFirst(
            c ->
                Sql.update(
                    c,
                    "UPDATE turns SET instance_id = ?, lease_until = "
                        + clock()
                        + " + ? WHERE id = ? AND "
                        + IS_RUNNING
                        + " AND lease_until < "
                        + clock(),
                    lease.instanceId(),
                    lease.length().toNanos(),
                    turnId))
        > 0;
  }

  /** The time by the clock the leases are measured by ({@link #clock()}). */
  Instant now() {
    return StoreRows.instant(
        read(c -> Sql.first(c, "SELECT " + clock(), rs -> rs.getLong(1))).orElseThrow());
  }

  /**
   * The clock every lease is written and compared by: the database's ({@link
   * SqlDialect#clockNanos}), never the JVM's, so that instances whose hosts' clocks differ agree on
   * when a lease lapses.
   */
  private String clock() {
    return db.dialect().clockNanos();
  }

  boolean requestCancel(String sessionId) {
    return write(
            c ->
                Sql.update(
                    c,
                    "UPDATE turns SET cancel_requested = ? WHERE session_id = ? AND " + IS_RUNNING,
                    true,
                    sessionId))
        > 0;
  }

  List<Turn> allRunning() {
    return runningWhere("");
  }

  /** The running turns that also meet {@code condition} ("" for all of them), oldest first. */
  private List<Turn> runningWhere(String condition, Object... args) {
    return read(
        c ->
            Sql.all(
                c,
                "SELECT "
                    + TURN_COLUMNS
                    + " FROM turns WHERE "
                    + IS_RUNNING
                    + condition
                    + " ORDER BY started_at",
                StoreRows::turn,
                args));
  }

  private <T> T read(SqlDatabase.Work<T> work) {
    return Stores.read(db, work);
  }

  private <T> T write(SqlDatabase.Work<T> work) {
    return Stores.write(db, work);
  }

  /**
   * The lease heartbeat's writes: ahead of the queued ones (see {@link SqlDatabase#writeFirst}).
   */
  private <T> T writeFirst(SqlDatabase.Work<T> work) {
    return Stores.writeFirst(db, work);
  }
}

package goose.session;

import static goose.session.StoreRows.instant;
import static goose.session.StoreRows.nanos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.approval.ApprovalDecision;
import goose.approval.ApprovalStore;
import goose.approval.PendingApproval;
import goose.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link ApprovalStore} in the sessions database (tables tool_approvals and tool_permissions,
 * migration V3; the call hash V11, the claim V31).
 */
final class JdbcApprovalStore implements ApprovalStore {
  private static final String COLUMNS =
      "session_id, call_id, call_hash, user_name, tool, arguments, created_at, expires_at, decision";

  private final SqlDatabase db;

  JdbcApprovalStore(SqlDatabase db) {
    this.db = db;
  }

  /**
   * A decided approval of the same call id is replaced: some models number their calls per reply
   * ({@code call_0} again and again), so a call id is unique only among the open approvals.
   */
  @Override
  public void open(PendingApproval a) {
    replace(
        a,
        "DELETE FROM tool_approvals WHERE session_id = ? AND call_id = ? AND decision IS NOT NULL");
  }

  @Override
  public void reopen(PendingApproval a) {
    replace(a, "DELETE FROM tool_approvals WHERE session_id = ? AND call_id = ?");
  }

  private void replace(PendingApproval a, String delete) {
    Stores.write(
        db,
        c -> {
          Sql.update(c, delete, a.sessionId(), a.callId());
          try {
            return Sql.update(
                c,
                "INSERT INTO tool_approvals ("
                    + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                a.sessionId(),
                a.callId(),
                a.callHash(),
                a.user(),
                a.tool(),
                Json.write(a.arguments()),
                nanos(a.createdAt()),
                nanos(a.expiresAt()));
          } catch (SQLException e) {
            switch (db.dialect().violation(e)) {
              case UNIQUE ->
                  throw new IllegalStateException(
                      "call " + a.callId() + " already has an approval in session " + a.sessionId(),
                      e);
              case FOREIGN_KEY -> throw new SessionNotFoundException(a.sessionId());
              case OTHER -> throw e;
            }
            throw e;
          }
        });
  }

  @Override
  public Optional<PendingApproval> get(String sessionId, String callId) {
    return Stores.read(
        db,
        c ->
            Sql.first(
                c,
                "SELECT " + COLUMNS + " FROM tool_approvals WHERE session_id = ? AND call_id = ?",
                JdbcApprovalStore::row,
                sessionId,
                callId));
  }

  @Override
  public List<PendingApproval> openIn(String sessionId) {
    return Stores.read(
        db,
        c ->
            Sql.all(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM tool_approvals WHERE session_id = ? AND decision IS NULL"
                    + " ORDER BY created_at",
                JdbcApprovalStore::row,
                sessionId));
  }

  @Override
  public boolean decide(
      String sessionId, String callId, String callHash, ApprovalDecision decision) {
    return Stores.write(
            db,
            c ->
                Sql.update(
                    c,
                    "UPDATE tool_approvals SET decision = ?, decided_at = ? WHERE session_id = ? AND call_id = ? AND call_hash = ? AND decision IS NULL",
                    decision.wire(),
                    nanos(Instant.now()),
                    sessionId,
                    callId,
                    callHash))
        > 0;
  }

  @Override
  public boolean claim(
      String sessionId,
      String callId,
      String callHash,
      String instanceId,
      Optional<String> leasedTurnId) {
    // One conditional UPDATE: the claim, the decision and the lease are checked in the statement
    // that writes the claim, so two claimants (the turn's owner woken from a freeze, and the
    // instance that took its turn over) cannot both win.
    String claim =
        "UPDATE tool_approvals SET claimed_by = ? WHERE session_id = ? AND call_id = ?"
            + " AND call_hash = ? AND claimed_by IS NULL AND decision IN (?, ?)";
    return Stores.write(
            db,
            c ->
                leasedTurnId.isEmpty()
                    ? Sql.update(
                        c,
                        claim,
                        instanceId,
                        sessionId,
                        callId,
                        callHash,
                        ApprovalDecision.ALLOW_ONCE.wire(),
                        ApprovalDecision.ALWAYS_ALLOW.wire())
                    : Sql.update(
                        c,
                        claim
                            + " AND EXISTS (SELECT 1 FROM turns t WHERE t.id = ?"
                            + " AND t.session_id = tool_approvals.session_id"
                            + " AND t.status = 'running' AND t.instance_id = ? AND t.lease_until > "
                            + db.dialect().clockNanos()
                            + ")",
                        instanceId,
                        sessionId,
                        callId,
                        callHash,
                        ApprovalDecision.ALLOW_ONCE.wire(),
                        ApprovalDecision.ALWAYS_ALLOW.wire(),
                        leasedTurnId.get(),
                        instanceId))
        > 0;
  }

  @Override
  public void alwaysAllow(String user, String tool) {
    Stores.write(
        db,
        c ->
            Sql.update(
                c,
                "INSERT INTO tool_permissions (user_name, tool, created_at) VALUES (?, ?, ?) ON CONFLICT (user_name, tool) DO NOTHING",
                user,
                tool,
                nanos(Instant.now())));
  }

  @Override
  public boolean isAlwaysAllowed(String user, String tool) {
    return Stores.read(
            db,
            c ->
                Sql.first(
                    c,
                    "SELECT 1 FROM tool_permissions WHERE user_name = ? AND tool = ?",
                    rs -> true,
                    user,
                    tool))
        .isPresent();
  }

  private static PendingApproval row(ResultSet rs) throws SQLException {
    String decision = rs.getString("decision");
    return new PendingApproval(
        rs.getString("session_id"),
        rs.getString("call_id"),
        rs.getString("call_hash"),
        rs.getString("user_name"),
        rs.getString("tool"),
        (ObjectNode) Json.parse(rs.getString("arguments")),
        instant(rs.getLong("created_at")),
        instant(rs.getLong("expires_at")),
        Optional.ofNullable(decision).map(ApprovalDecision::fromWire));
  }
}

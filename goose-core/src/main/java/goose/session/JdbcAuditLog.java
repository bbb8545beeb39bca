package goose.session;

import static goose.session.StoreRows.instant;
import static goose.session.StoreRows.nanos;

import goose.approval.AuditEntry;
import goose.approval.AuditLog;
import goose.approval.AuditPage;
import goose.approval.AuditQuery;
import goose.approval.ToolDecision;
import goose.ids.Ids;
import goose.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link AuditLog} in the sessions database (table tool_audit, migration V3). Entries are keyed by
 * UUIDv7 ids, so newest-first is {@code ORDER BY id DESC} and the cursor is simply the last id
 * seen.
 */
final class JdbcAuditLog implements AuditLog {
  private static final String COLUMNS =
      "id, at, user_name, session_id, call_id, tool, arguments, decision, outcome, duration_ms";

  private final SqlDatabase db;

  JdbcAuditLog(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public void record(AuditEntry e) {
    Stores.write(
        db,
        c ->
            Sql.update(
                c,
                "INSERT INTO tool_audit (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(),
                nanos(e.at()),
                e.user(),
                e.sessionId(),
                e.callId(),
                e.tool(),
                Json.write(e.arguments()),
                e.decision().wire(),
                e.outcome(),
                e.durationMs()));
  }

  @Override
  public AuditPage list(AuditQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tool_audit WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (query.cursor().isPresent()) {
      if (!Ids.isWellFormed(query.cursor().get()))
        throw new IllegalArgumentException("not an audit cursor");
      sql.append(" AND id < ?");
      args.add(query.cursor().get());
    }
    query
        .user()
        .ifPresent(
            u -> {
              // A user's id is the name itself or "name#<random>" (goose.user.UserIds): a name
              // finds
              // every user that ever had it, an id exactly one.
              sql.append(" AND (user_name = ? OR user_name LIKE ? ESCAPE '\\')");
              args.add(u);
              args.add(u.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "#%");
            });
    query
        .sessionId()
        .ifPresent(
            s -> {
              sql.append(" AND session_id = ?");
              args.add(s);
            });
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(query.limit() + 1); // one more tells whether another page follows
    List<AuditEntry> rows =
        Stores.read(db, c -> Sql.all(c, sql.toString(), JdbcAuditLog::row, args.toArray()));
    if (rows.size() <= query.limit()) return new AuditPage(rows, Optional.empty());
    List<AuditEntry> page = rows.subList(0, query.limit());
    return new AuditPage(page, Optional.of(page.getLast().id()));
  }

  private static AuditEntry row(ResultSet rs) throws SQLException {
    return new AuditEntry(
        rs.getString("id"),
        instant(rs.getLong("at")),
        rs.getString("user_name"),
        rs.getString("session_id"),
        rs.getString("call_id"),
        rs.getString("tool"),
        Json.parse(rs.getString("arguments")),
        ToolDecision.fromWire(rs.getString("decision")),
        rs.getString("outcome"),
        rs.getLong("duration_ms"));
  }
}

package goose.session;

import static goose.session.StoreRows.instant;
import static goose.session.StoreRows.nanos;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link InstanceRegistry} in the sessions database (table instances, migration V5). */
final class JdbcInstanceRegistry implements InstanceRegistry {
  private static final String COLUMNS = "id, boot_id, host, pid, started_at, last_seen";

  private final SqlDatabase db;

  JdbcInstanceRegistry(SqlDatabase db) {
    this.db = db;
  }

  /** One upsert: a new id is inserted, a stale one taken over, a live one left alone (0 rows). */
  @Override
  public Optional<Instance> register(Instance me, Instant staleBefore) {
    return Stores.write(
        db,
        c -> {
          int changed =
              Sql.update(
                  c,
                  "INSERT INTO instances ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                      + " boot_id = excluded.boot_id, host = excluded.host, pid = excluded.pid,"
                      + " started_at = excluded.started_at, last_seen = excluded.last_seen"
                      + " WHERE instances.last_seen < ?",
                  me.id(),
                  me.bootId(),
                  me.host(),
                  me.pid(),
                  nanos(me.startedAt()),
                  nanos(me.lastSeen()),
                  nanos(staleBefore));
          if (changed == 1) return Optional.empty();
          return Sql.first(
              c,
              "SELECT " + COLUMNS + " FROM instances WHERE id = ?",
              JdbcInstanceRegistry::row,
              me.id());
        });
  }

  @Override
  public boolean heartbeat(String id, String bootId, Instant now) {
    return Stores.writeFirst(
            db,
            c ->
                Sql.update(
                    c,
                    "UPDATE instances SET last_seen = ? WHERE id = ? AND boot_id = ?",
                    nanos(now),
                    id,
                    bootId))
        == 1;
  }

  @Override
  public void deregister(String id, String bootId) {
    Stores.write(
        db, c -> Sql.update(c, "DELETE FROM instances WHERE id = ? AND boot_id = ?", id, bootId));
  }

  @Override
  public List<Instance> all() {
    return Stores.read(
        db,
        c ->
            Sql.all(
                c, "SELECT " + COLUMNS + " FROM instances ORDER BY id", JdbcInstanceRegistry::row));
  }

  private static Instance row(ResultSet rs) throws SQLException {
    return new Instance(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getLong(4),
        instant(rs.getLong(5)),
        instant(rs.getLong(6)));
  }
}

package goose.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * Prepared statements kept per SQLite connection and used again. sqlite-jdbc prepares a statement
 * anew each time (SQLite parses and plans the SQL text), and neither it nor the connection pool
 * keeps statements: in a JFR profile of 1,000 streaming turns, preparing took as much time as
 * running the statements. PostgreSQL's driver keeps server-side prepared statements itself, so
 * other connections are not cached here.
 *
 * <p>A statement is prepared on the pool's underlying connection, which the pool neither tracks nor
 * closes when the connection goes back; closing the physical connection finalizes its statements,
 * and its entry is dropped the next time a statement is prepared. A connection is used by one
 * thread at a time (the pool lends it out whole), so its own map needs no lock.
 */
final class StatementCache {
  /** Distinct statements kept per connection (the least recently used is closed beyond that). */
  static final int PER_CONNECTION = 128;

  // SQLiteConnection keeps Object's identity equality.
  private static final Map<SQLiteConnection, PerConnection> CACHES = new ConcurrentHashMap<>();

  private StatementCache() {}

  /**
   * The statement for {@code sql} on {@code c}, on SQLite from the cache; give it back with {@link
   * #release}.
   */
  static PreparedStatement prepare(Connection c, String sql) throws SQLException {
    if (!c.isWrapperFor(SQLiteConnection.class)) return c.prepareStatement(sql);
    SQLiteConnection raw = c.unwrap(SQLiteConnection.class);
    return cacheOf(raw).take(raw, sql);
  }

  /** Done with a statement from {@link #prepare}: kept for the next use, or closed. */
  static void release(PreparedStatement st) throws SQLException {
    if (st.getConnection() instanceof SQLiteConnection raw) {
      PerConnection cache = CACHES.get(raw);
      if (cache != null && cache.inUse.remove(st)) {
        st.clearParameters();
        return;
      }
    }
    st.close();
  }

  private static PerConnection cacheOf(SQLiteConnection raw) {
    PerConnection cache = CACHES.get(raw);
    if (cache != null) return cache;
    // Connections the pool closed: their statements are gone with them.
    CACHES.keySet().removeIf(StatementCache::isClosed);
    return CACHES.computeIfAbsent(raw, k -> new PerConnection());
  }

  private static boolean isClosed(SQLiteConnection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** One connection's statements; used by the one thread that holds the connection. */
  private static final class PerConnection {
    private final Set<PreparedStatement> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, PreparedStatement> bySql =
        new LinkedHashMap<>(32, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= PER_CONNECTION || inUse.contains(eldest.getValue())) return false;
            try {
              eldest.getValue().close();
            } catch (SQLException e) {
              // nothing to keep either way: the statement is dropped
            }
            return true;
          }
        };

    PreparedStatement take(SQLiteConnection raw, String sql) throws SQLException {
      PreparedStatement st = bySql.get(sql);
      if (st != null && inUse.contains(st)) {
        return raw.prepareStatement(sql); // the same SQL nested in a row mapper: a one-off
      }
      if (st == null || st.isClosed()) {
        st = raw.prepareStatement(sql);
        bySql.put(sql, st);
      }
      inUse.add(st);
      return st;
    }
  }
}

package goose.session;

import static goose.session.StoreRows.nanos;

import goose.notes.MemoryStore;
import goose.notes.TodoStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link TodoStore} and {@link MemoryStore} in the sessions database (tables todo_lists and
 * memory_categories, migration V6).
 */
final class JdbcNotes implements TodoStore, MemoryStore {
  /** Attempts of an optimistic memory update before giving up (each loses only to a real write). */
  private static final int ATTEMPTS = 20;

  private final SqlDatabase db;

  JdbcNotes(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<String> read(String owner, String sessionId) {
    return Stores.read(
        db,
        c ->
            Sql.first(
                c,
                "SELECT content FROM todo_lists WHERE owner = ? AND session_id = ?",
                rs -> rs.getString(1),
                owner,
                sessionId));
  }

  @Override
  public void write(String owner, String sessionId, String content) {
    Stores.write(
        db,
        c ->
            Sql.update(
                c,
                "INSERT INTO todo_lists (owner, session_id, content, updated_at) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (owner, session_id) DO UPDATE SET content = excluded.content,"
                    + " updated_at = excluded.updated_at",
                owner,
                sessionId,
                content,
                nanos(Instant.now())));
  }

  @Override
  public Optional<String> read(String owner, String scope, String category) {
    return current(owner, scope, category).map(Versioned::content);
  }

  @Override
  public List<String> categories(String owner, String scope) {
    return Stores.read(
        db,
        c ->
            Sql.all(
                c,
                "SELECT category FROM memory_categories WHERE owner = ? AND scope = ?"
                    + " ORDER BY category",
                rs -> rs.getString(1),
                owner,
                scope));
  }

  private record Versioned(String content, long version) {}

  private Optional<Versioned> current(String owner, String scope, String category) {
    return Stores.read(
        db,
        c ->
            Sql.first(
                c,
                "SELECT content, version FROM memory_categories"
                    + " WHERE owner = ? AND scope = ? AND category = ?",
                rs -> new Versioned(rs.getString(1), rs.getLong(2)),
                owner,
                scope,
                category));
  }

  @Override
  public void update(
      String owner, String scope, String category, UnaryOperator<Optional<String>> change) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Versioned> now = current(owner, scope, category);
      Optional<String> next = change.apply(now.map(Versioned::content));
      if (apply(owner, scope, category, now, next)) return;
    }
    throw new StoreException(
        "memory category " + category + " changed under every one of " + ATTEMPTS + " attempts");
  }

  /** Writes {@code next} if the category is still at {@code seen}; false when it moved on. */
  private boolean apply(
      String owner,
      String scope,
      String category,
      Optional<Versioned> seen,
      Optional<String> next) {
    long at = nanos(Instant.now());
    return Stores.write(
        db,
        c -> {
          if (seen.isEmpty()) {
            if (next.isEmpty()) return true;
            return insertIfAbsent(c, owner, scope, category, next.get(), at);
          }
          long version = seen.get().version();
          if (next.isEmpty())
            return Sql.update(
                    c,
                    "DELETE FROM memory_categories WHERE owner = ? AND scope = ? AND category = ?"
                        + " AND version = ?",
                    owner,
                    scope,
                    category,
                    version)
                == 1;
          return Sql.update(
                  c,
                  "UPDATE memory_categories SET content = ?, version = version + 1, updated_at = ?"
                      + " WHERE owner = ? AND scope = ? AND category = ? AND version = ?",
                  next.get(),
                  at,
                  owner,
                  scope,
                  category,
                  version)
              == 1;
        });
  }

  private static boolean insertIfAbsent(
      java.sql.Connection c, String owner, String scope, String category, String content, long at)
      throws SQLException {
    return Sql.update(
            c,
            "INSERT INTO memory_categories (owner, scope, category, content, version, updated_at)"
                + " VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (owner, scope, category) DO NOTHING",
            owner,
            scope,
            category,
            content,
            at)
        == 1;
  }
}

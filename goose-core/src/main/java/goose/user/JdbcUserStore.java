package goose.user;

import goose.session.Sql;
import goose.session.SqlDatabase;
import goose.session.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link UserStore} on the sessions' database (SQLite or PostgreSQL), table {@code users}
 * (migration V2).
 */
final class JdbcUserStore implements UserStore {
  private static final String COLUMNS = "name, id, admin, created_at, token_created_at";
  private final SqlDatabase db;

  JdbcUserStore(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public IssuedToken add(String name, boolean admin) {
    UserNames.check(name);
    String token = ApiTokens.generate();
    String id = UserIds.newId(name);
    long now = nanos(Instant.now());
    try {
      db.write(
          c ->
              Sql.update(
                  c,
                  "INSERT INTO users (name, id, admin, token_hash, created_at, token_created_at) VALUES (?, ?, ?, ?, ?, ?)",
                  name,
                  id,
                  admin,
                  ApiTokens.hash(token),
                  now,
                  now));
    } catch (SQLException e) {
      if (db.isUniqueViolation(e)) throw new UserExistsException(name);
      throw failed("add user " + name, e);
    }
    return new IssuedToken(new User(name, id, admin, instant(now), instant(now)), token);
  }

  @Override
  public Optional<IssuedToken> rotate(String name) {
    String token = ApiTokens.generate();
    long now = nanos(Instant.now());
    Optional<User> user =
        call(
            "rotate the token of " + name,
            () ->
                db.write(
                    c ->
                        Sql.first(
                            c,
                            "UPDATE users SET token_hash = ?, token_created_at = ? WHERE name = ? RETURNING "
                                + COLUMNS,
                            JdbcUserStore::user,
                            ApiTokens.hash(token),
                            now,
                            name)));
    return user.map(u -> new IssuedToken(u, token));
  }

  @Override
  public boolean remove(String name) {
    return call(
            "remove user " + name,
            () -> db.write(c -> Sql.update(c, "DELETE FROM users WHERE name = ?", name)))
        > 0;
  }

  @Override
  public List<User> list() {
    return call(
        "list users",
        () ->
            db.read(
                c ->
                    Sql.all(
                        c,
                        "SELECT " + COLUMNS + " FROM users ORDER BY name",
                        JdbcUserStore::user)));
  }

  @Override
  public Optional<User> get(String name) {
    return call(
        "read user " + name,
        () ->
            db.read(
                c ->
                    Sql.first(
                        c,
                        "SELECT " + COLUMNS + " FROM users WHERE name = ?",
                        JdbcUserStore::user,
                        name)));
  }

  @Override
  public boolean existsById(String id) {
    return call(
        "look up user id " + id,
        () ->
            db.read(c -> Sql.first(c, "SELECT 1 FROM users WHERE id = ?", rs -> Boolean.TRUE, id))
                .isPresent());
  }

  /**
   * One indexed lookup by hash. Comparing hashes in SQL is not a timing oracle: an attacker cannot
   * choose the bytes of the hash they probe, so learning "how many leading bytes matched" tells
   * them nothing.
   */
  @Override
  public Optional<User> authenticate(String token) {
    if (!ApiTokens.isPlausible(token)) return Optional.empty();
    String hash = ApiTokens.hash(token);
    return call(
        "look up a token",
        () ->
            db.read(
                c ->
                    Sql.first(
                        c,
                        "SELECT " + COLUMNS + " FROM users WHERE token_hash = ?",
                        JdbcUserStore::user,
                        hash)));
  }

  @Override
  public void close() {
    db.close();
  }

  private static User user(ResultSet rs) throws SQLException {
    return new User(
        rs.getString("name"),
        rs.getString("id"),
        rs.getBoolean("admin"),
        instant(rs.getLong("created_at")),
        instant(rs.getLong("token_created_at")));
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  @FunctionalInterface
  private interface Query<T> {
    T run() throws SQLException;
  }

  private static <T> T call(String what, Query<T> query) {
    try {
      return query.run();
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  private static StoreException failed(String what, SQLException e) {
    return new StoreException("cannot " + what + ": " + e.getMessage(), e);
  }
}

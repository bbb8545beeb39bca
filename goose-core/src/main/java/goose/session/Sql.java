package goose.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Prepared statements in one line each: bind the arguments, run, map the rows. On SQLite the
 * statements are kept per connection and used again ({@link StatementCache}).
 */
public final class Sql {
  private Sql() {}

  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  public static <T> Optional<T> first(
      Connection c, String sql, RowMapper<T> mapper, @Nullable Object... args) throws SQLException {
    PreparedStatement st = StatementCache.prepare(c, sql);
    try {
      bind(st, args);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
      }
    } finally {
      StatementCache.release(st);
    }
  }

  public static <T> List<T> all(
      Connection c, String sql, RowMapper<T> mapper, @Nullable Object... args) throws SQLException {
    PreparedStatement st = StatementCache.prepare(c, sql);
    try {
      bind(st, args);
      try (ResultSet rs = st.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) rows.add(mapper.map(rs));
        return rows;
      }
    } finally {
      StatementCache.release(st);
    }
  }

  public static int update(Connection c, String sql, @Nullable Object... args) throws SQLException {
    PreparedStatement st = StatementCache.prepare(c, sql);
    try {
      bind(st, args);
      return st.executeUpdate();
    } finally {
      StatementCache.release(st);
    }
  }

  public static void bind(PreparedStatement st, @Nullable Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case null -> st.setNull(i + 1, Types.NULL); // untyped: PostgreSQL infers the column type
        case String s -> st.setString(i + 1, s);
        case Long l -> st.setLong(i + 1, l);
        case Integer n -> st.setInt(i + 1, n);
        case Boolean b -> st.setBoolean(i + 1, b);
        case Double d -> st.setDouble(i + 1, d);
        default -> throw new IllegalArgumentException("cannot bind " + args[i].getClass());
      }
    }
  }
}

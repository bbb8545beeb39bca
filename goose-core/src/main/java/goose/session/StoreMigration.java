package goose.session;

import goose.error.ErrorMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Moves a whole SQLite store into an empty PostgreSQL database: every table the migrations created
 * (sessions, messages, events, turns, and whatever later versions add), parents before children, in
 * one PostgreSQL transaction — a failure leaves the target as empty as it was, so the move can
 * simply be run again. Both schemas are first brought to the newest version, so the tables match
 * column for column. A target that already holds rows is refused rather than merged. At the end the
 * row count of every table is compared.
 */
public final class StoreMigration {
  private static final int BATCH = 1000;
  private static final String FLYWAY_TABLE = "flyway_schema_history";

  /** Receives the progress of a migration (for a progress bar). */
  public interface Progress {
    /** Before copying starts: the rows to copy in all. */
    void start(long totalRows);

    /** {@code copied} rows of all tables are done; {@code table} is being copied. */
    void advance(String table, long copied);
  }

  /** Rows per table, as copied and counted again in the target. */
  public record Result(Map<String, Long> rowsPerTable) {
    public long totalRows() {
      return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private StoreMigration() {}

  /** Does this PostgreSQL URL carry a password (user-info or a password= parameter)? */
  public static boolean carriesPassword(String postgresUrl) {
    return PostgresUrl.parse(postgresUrl).password().isPresent();
  }

  /**
   * Copies the SQLite file's store into the PostgreSQL database at {@code postgresUrl} (either URL
   * form). Throws {@link IllegalStateException} for a target that is not empty or counts that
   * differ, {@link IllegalArgumentException} for a missing source or a bad URL, {@link
   * StoreException} for a database failure. {@code password}, when given, is the target's password
   * (given apart from the URL, so that it never has to appear on a command line).
   */
  public static Result sqliteToPostgres(
      Path sqliteFile, String postgresUrl, Optional<String> password, Progress progress) {
    if (!Files.isRegularFile(sqliteFile))
      throw new IllegalArgumentException("no SQLite store at " + sqliteFile);
    PostgresUrl parsed = PostgresUrl.parse(postgresUrl);
    PostgresUrl target = password.map(parsed::withPassword).orElse(parsed);
    SessionStores.openSqlite(sqliteFile).close(); // both schemas at the newest version
    SessionStores.openPostgres(target, 2).close();
    try (Connection from =
            DriverManager.getConnection("jdbc:sqlite:" + sqliteFile.toAbsolutePath());
        Connection to =
            target.connect(
                Map.of("reWriteBatchedInserts", "true", "ApplicationName", "goose-migrate"))) {
      List<String> tables = tablesInCopyOrder(from);
      Map<String, Long> sourceCounts = new LinkedHashMap<>();
      for (String table : tables) {
        long inTarget = count(to, table);
        if (inTarget > 0) {
          throw new IllegalStateException(
              "the target database is not empty (table "
                  + table
                  + " has "
                  + inTarget
                  + " rows); migrate into an empty database");
        }
        sourceCounts.put(table, count(from, table));
      }
      progress.start(sourceCounts.values().stream().mapToLong(Long::longValue).sum());
      to.setAutoCommit(false);
      long copied = 0;
      try {
        for (String table : tables) copied = copyTable(from, to, table, copied, progress);
        resetSequences(to, tables);
        to.commit();
      } catch (SQLException | RuntimeException e) {
        to.rollback();
        throw e;
      }
      to.setAutoCommit(true);
      Map<String, Long> targetCounts = new LinkedHashMap<>();
      for (String table : tables) {
        long n = count(to, table);
        if (n != Objects.requireNonNull(sourceCounts.get(table))) {
          throw new IllegalStateException(
              "table "
                  + table
                  + ": "
                  + sourceCounts.get(table)
                  + " rows in SQLite but "
                  + n
                  + " in PostgreSQL after the copy");
        }
        targetCounts.put(table, n);
      }
      return new Result(targetCounts);
    } catch (SQLException e) {
      throw new StoreException("migration failed: " + target.redact(ErrorMessages.of(e)), e);
    }
  }

  /**
   * Every application table of the SQLite store, each after the tables its foreign keys point to.
   */
  static List<String> tablesInCopyOrder(Connection sqlite) throws SQLException {
    List<String> all = new ArrayList<>();
    try (Statement st = sqlite.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    + " ORDER BY name")) {
      while (rs.next())
        if (!rs.getString(1).equalsIgnoreCase(FLYWAY_TABLE)) all.add(rs.getString(1));
    }
    Map<String, Set<String>> parents = new LinkedHashMap<>();
    for (String table : all) {
      Set<String> refs = new LinkedHashSet<>();
      try (Statement st = sqlite.createStatement();
          ResultSet rs = st.executeQuery("PRAGMA foreign_key_list(\"" + table + "\")")) {
        while (rs.next()) {
          String parent = rs.getString("table");
          if (!parent.equals(table)) refs.add(parent);
        }
      }
      parents.put(table, refs);
    }
    List<String> ordered = new ArrayList<>();
    while (ordered.size() < all.size()) {
      boolean progressed = false;
      for (String table : all) {
        if (!ordered.contains(table)
            && ordered.containsAll(
                Objects.requireNonNull(parents.get(table)).stream()
                    .filter(all::contains)
                    .toList())) {
          ordered.add(table);
          progressed = true;
        }
      }
      if (!progressed) throw new IllegalStateException("foreign keys form a cycle among " + all);
    }
    return ordered;
  }

  private static long copyTable(
      Connection from, Connection to, String table, long copied, Progress progress)
      throws SQLException {
    Map<String, Integer> targetTypes = columnTypes(to, table);
    List<String> columns = new ArrayList<>();
    try (Statement st = from.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\" LIMIT 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String column = md.getColumnName(i);
        if (!targetTypes.containsKey(column.toLowerCase(java.util.Locale.ROOT))) {
          throw new IllegalStateException(
              "column " + table + "." + column + " has no counterpart in PostgreSQL");
        }
        columns.add(column);
      }
    }
    String quoted =
        String.join(
            ", ",
            columns.stream().map(c -> "\"" + c.toLowerCase(java.util.Locale.ROOT) + "\"").toList());
    String insert =
        "INSERT INTO "
            + table
            + " ("
            + quoted
            + ") VALUES ("
            + "?, ".repeat(columns.size() - 1)
            + "?)";
    try (Statement st = from.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY rowid");
        PreparedStatement ins = to.prepareStatement(insert)) {
      int pending = 0;
      while (rs.next()) {
        for (int i = 0; i < columns.size(); i++) {
          String column = columns.get(i).toLowerCase(java.util.Locale.ROOT);
          int type =
              Objects.requireNonNull(
                  targetTypes.get(column), () -> "no column " + column + " in the target");
          bind(ins, i + 1, type, rs, i + 1);
        }
        ins.addBatch();
        if (++pending == BATCH) {
          ins.executeBatch();
          copied += pending;
          pending = 0;
          progress.advance(table, copied);
        }
      }
      if (pending > 0) {
        ins.executeBatch();
        copied += pending;
      }
      progress.advance(table, copied);
    }
    return copied;
  }

  /** SQLite keeps booleans as 0/1 and has loose types; PostgreSQL wants the column's own type. */
  private static void bind(
      PreparedStatement ins, int index, int targetType, ResultSet rs, int column)
      throws SQLException {
    Object value = rs.getObject(column);
    if (value == null) {
      ins.setNull(index, targetType);
      return;
    }
    switch (targetType) {
      case Types.BOOLEAN, Types.BIT ->
          ins.setBoolean(
              index,
              value instanceof Number n
                  ? n.longValue() != 0
                  : Boolean.parseBoolean(value.toString()));
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> ins.setLong(index, rs.getLong(column));
      case Types.DOUBLE, Types.REAL, Types.FLOAT, Types.NUMERIC, Types.DECIMAL ->
          ins.setDouble(index, rs.getDouble(column));
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
          ins.setBytes(index, rs.getBytes(column));
      default -> ins.setString(index, rs.getString(column));
    }
  }

  private static Map<String, Integer> columnTypes(Connection pg, String table) throws SQLException {
    Map<String, Integer> types = new LinkedHashMap<>();
    try (Statement st = pg.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table + " LIMIT 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++)
        types.put(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT), md.getColumnType(i));
    }
    return types;
  }

  /** Serial and identity columns: their sequences continue after the copied ids. */
  private static void resetSequences(Connection pg, List<String> tables) throws SQLException {
    for (String table : tables) {
      List<String> serials = new ArrayList<>();
      try (PreparedStatement st =
          pg.prepareStatement(
              "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                  + " AND table_schema = current_schema() AND (column_default LIKE 'nextval%' OR is_identity = 'YES')")) {
        st.setString(1, table.toLowerCase(java.util.Locale.ROOT));
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) serials.add(rs.getString(1));
        }
      }
      for (String column : serials) {
        try (Statement st = pg.createStatement()) {
          st.execute(
              "SELECT setval(pg_get_serial_sequence('"
                  + table
                  + "', '"
                  + column
                  + "'), COALESCE((SELECT MAX(\""
                  + column
                  + "\") FROM "
                  + table
                  + "), 0) + 1, false)");
        }
      }
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

package goose.session;

import goose.config.Config;
import goose.config.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code goose session backup FILE}. A SQLite store is copied with SQLite's {@code VACUUM INTO}:
 * one read transaction, so the copy is exactly the store as of one moment (every committed write
 * before it, none after), taken while a server goes on writing (WAL mode: readers do not block the
 * writer). Copying {@code sessions.db} with {@code cp} instead misses whatever still sits in {@code
 * sessions.db-wal}. The copy is written beside the target, checked ({@code PRAGMA integrity_check})
 * and only then renamed into place. A PostgreSQL store is backed up with PostgreSQL's own {@code
 * pg_dump}: the answer is the command to run.
 */
public final class StoreBackup {
  private StoreBackup() {}

  /** What a backup did. */
  public sealed interface Result {
    /** The SQLite store {@code source} was copied to {@code target}. */
    record Copied(Path source, Path target, long bytes, long sessions, long messages)
        implements Result {}

    /** The store is PostgreSQL: run {@code command} (the password comes from PGPASSWORD). */
    record UsePgDump(String command, String restoreCommand) implements Result {}
  }

  /**
   * Backs up the configured store to {@code target}, which must not exist yet. Throws {@link
   * IllegalArgumentException} for a target that exists or a store that does not, {@link
   * StoreException} when SQLite fails.
   */
  public static Result backup(Config config, Path target) {
    var postgres = SessionStores.postgresTarget(config);
    if (postgres.isPresent()) {
      PostgresUrl pg = postgres.get();
      String file = shellQuote(target.toString());
      String db = shellQuote(pg.libpqUrl());
      return new Result.UsePgDump(
          "pg_dump --format=custom --file=" + file + " " + db,
          "pg_restore --clean --if-exists --no-owner --dbname=" + db + " " + file);
    }
    return sqlite(SessionStores.sqliteFile(config), target);
  }

  /** Copies the SQLite store {@code source} to {@code target} (see the class comment). */
  public static Result.Copied sqlite(Path source, Path target) {
    if (!Files.isRegularFile(source))
      throw new IllegalArgumentException("no SQLite store at " + source);
    Path to = target.toAbsolutePath();
    if (Files.exists(to))
      throw new IllegalArgumentException(to + " exists; choose a new file name");
    Path dir = to.getParent(); // an absolute path other than the root has one
    if (dir == null || !Files.isDirectory(dir))
      throw new IllegalArgumentException("no directory " + dir + " to write the backup in");
    Path partial = dir.resolve("." + to.getFileName() + ".partial");
    try {
      Files.deleteIfExists(partial);
      // A full copy, the users' token hashes included: 0600 like the store. VACUUM INTO fills an
      // empty file and keeps its mode.
      PrivateFiles.file(partial);
      try (Connection c = connect(source);
          Statement st = c.createStatement()) {
        st.execute("VACUUM INTO '" + partial.toString().replace("'", "''") + "'");
      }
      long[] counts = check(partial);
      try {
        Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, to);
      }
      return new Result.Copied(source, to, Files.size(to), counts[0], counts[1]);
    } catch (SQLException e) {
      throw new StoreException("backup of " + source + " failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("backup to " + to + " failed: " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // only a leftover of a failed run
      }
    }
  }

  private static Connection connect(Path file) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:sqlite:" + file.toAbsolutePath() + "?busy_timeout=10000");
  }

  /** Opens the copy as a database, checks it, and counts its sessions and messages. */
  private static long[] check(Path copy) throws SQLException {
    try (Connection c = connect(copy);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        String verdict = rs.next() ? rs.getString(1) : "no answer";
        if (!"ok".equals(verdict))
          throw new SQLException("the copy failed its integrity check: " + verdict);
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM messages)")) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private static String shellQuote(String s) {
    return s.matches("[A-Za-z0-9_./:@%+=,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}

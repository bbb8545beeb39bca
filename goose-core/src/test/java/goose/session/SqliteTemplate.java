package goose.session;

import goose.config.Config;
import goose.config.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * New SQLite stores for tests, already migrated: the store's file is migrated once per test JVM, by
 * the product's own opening ({@link SessionStores#openSqlite}, Flyway for real), and each test's
 * new store is a copy of it. Opening a current store skips Flyway ({@link CurrentSchema}), so a
 * test's server or store starts in 7-12 ms of CPU instead of the 90-120 ms that migrating a new
 * file costs (docs/benchmarks.md, "The test suite"), hundreds of times per suite.
 *
 * <p>The copy is what the product itself leaves after migrating a new file: every table empty, the
 * directories {@code 0700} and the file {@code 0600} ({@link PrivateFiles}, as the product makes
 * them), no {@code -wal} or {@code -shm} file (SQLite folds the WAL into the file when its last
 * connection closes; the template is checked for that). Tests of the migrations themselves and of a
 * first start on a new store open a blank file instead, as do the processes the tests start through
 * {@code ServerProcess}.
 */
public final class SqliteTemplate {
  private static volatile byte[] template = new byte[0];

  private SqliteTemplate() {}

  /**
   * Puts a migrated, empty store where {@code config} keeps its SQLite store, unless a store is
   * already there (a restart on the same data) or {@code config} names a PostgreSQL database;
   * returns {@code config}. When the directories cannot be made, nothing is done: the product's own
   * start meets the same problem and reports it.
   */
  public static Config placeFor(Config config) {
    if (SessionStores.postgresUrl(config).isPresent()) return config;
    Path file = SessionStores.sqliteFile(config);
    if (Files.exists(file)) return config;
    try {
      PrivateFiles.directory(config.paths().dataDir());
      PrivateFiles.directory(file.getParent());
    } catch (IOException | RuntimeException e) {
      return config; // left to the product's start, which reports it
    }
    at(file);
    return config;
  }

  /**
   * A migrated, empty store at {@code file} (mode {@code 0600}; its directory must exist), unless a
   * file is already there; returns {@code file}.
   */
  public static Path at(Path file) {
    if (Files.exists(file)) return file;
    byte[] bytes = migrated();
    try {
      Files.write(
          PrivateFiles.file(file),
          bytes,
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The template's bytes, migrated on first use. */
  private static byte[] migrated() {
    byte[] bytes = template;
    if (bytes.length > 0) return bytes;
    synchronized (SqliteTemplate.class) {
      if (template.length == 0) template = migrateOnce();
      return template;
    }
  }

  private static byte[] migrateOnce() {
    try {
      Path dir = Files.createTempDirectory("goose-sqlite-template");
      Path file = dir.resolve("sessions.db");
      SessionStores.openSqlite(file).close();
      for (String suffix : new String[] {"-wal", "-shm"}) {
        Path sibling = dir.resolve("sessions.db" + suffix);
        if (Files.exists(sibling))
          throw new IllegalStateException(
              "the SQLite template still has its " + suffix + " file after closing: " + sibling);
      }
      byte[] bytes = Files.readAllBytes(file);
      Files.delete(file);
      Files.delete(dir);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

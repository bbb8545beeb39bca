package goose.session;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Whether a database's schema already has exactly the migrations this build bundles, answered
 * without Flyway: at every start of a server on an existing store, Flyway's set-up, classpath scan,
 * lock and validation cost 70-160 ms (docs/benchmarks.md) only to find nothing to do.
 *
 * <p>Written here on purpose rather than through Flyway's API: what makes the check cheap is not
 * creating Flyway at all. It reads the bundled migrations' versions from the migration folder of
 * the class path (a jar or a directory) and the applied ones from {@code flyway_schema_history},
 * and answers true only when every applied row succeeded and the two sets of versions are equal.
 * Anything else (no history table, a failed or pending migration, a version this build does not
 * know, repeatable migrations, a class path it cannot list) answers false, and Flyway runs exactly
 * as before, with its lock for concurrent starts and its checks. A history row is written in the
 * same transaction as its migration or after it, so a row seen here is a migration done; another
 * process can only add migrations, never make a current schema stale.
 *
 * <p>What the fast path gives up is Flyway's checksum comparison of applied scripts with the
 * bundled ones, which only catches a migration edited after it shipped; a build that adds a
 * migration always goes through Flyway.
 */
final class CurrentSchema {
  private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__[^/]*\\.sql");

  private CurrentSchema() {}

  /** True when {@code pool}'s schema has exactly the bundled migrations of {@code dialect}. */
  static boolean isCurrent(DataSource pool, SqlDialect dialect) {
    Optional<Set<String>> bundled = bundledVersions(dialect);
    if (bundled.isEmpty() || bundled.get().isEmpty()) return false;
    try (Connection c = pool.getConnection()) {
      return applied(c).map(bundled.get()::equals).orElse(false);
    } catch (SQLException noHistoryYet) {
      return false;
    }
  }

  /**
   * True unless the database certainly has no Flyway history table: a table named like {@code
   * flyway_schema_history} in any schema, or a failure to look, counts as one.
   */
  static boolean hasHistoryTable(DataSource pool) {
    try (Connection c = pool.getConnection();
        ResultSet tables =
            c.getMetaData()
                .getTables(null, null, "flyway_schema_history", new String[] {"TABLE"})) {
      return tables.next();
    } catch (SQLException unknown) {
      return true;
    }
  }

  /**
   * The versions in the history table when every row succeeded and each is a versioned SQL
   * migration or Flyway's own schema-creation marker; empty otherwise.
   */
  private static Optional<Set<String>> applied(Connection c) throws SQLException {
    Set<String> versions = new HashSet<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT version, type, success FROM flyway_schema_history")) {
      while (rs.next()) {
        String version = rs.getString(1);
        String type = rs.getString(2);
        if (!rs.getBoolean(3)) return Optional.empty();
        if (version == null) {
          if (!"SCHEMA".equals(type)) return Optional.empty();
        } else if ("SQL".equals(type)) {
          versions.add(normalize(version));
        } else {
          return Optional.empty();
        }
      }
    }
    return Optional.of(versions);
  }

  /**
   * The versions of the {@code V<version>__<name>.sql} scripts in the dialect's migration folder;
   * empty when the folder cannot be listed, or holds anything else Flyway would run.
   */
  static Optional<Set<String>> bundledVersions(SqlDialect dialect) {
    String folder = dialect.migrations().substring("classpath:".length());
    URL url = CurrentSchema.class.getClassLoader().getResource(folder + "/");
    if (url == null) return Optional.empty();
    try {
      return switch (url.getProtocol()) {
        case "jar" -> fromJar(url, folder + "/");
        case "file" -> fromDirectory(Path.of(url.toURI()));
        default -> Optional.empty();
      };
    } catch (IOException | URISyntaxException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  private static Optional<Set<String>> fromJar(URL url, String prefix) throws IOException {
    JarURLConnection connection = (JarURLConnection) url.openConnection();
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      Set<String> versions = new HashSet<>();
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (!name.startsWith(prefix) || name.length() == prefix.length()) continue;
        if (!add(versions, name.substring(prefix.length()))) return Optional.empty();
      }
      return Optional.of(versions);
    }
  }

  private static Optional<Set<String>> fromDirectory(Path dir) throws IOException {
    Set<String> versions = new HashSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!add(versions, file.getFileName().toString())) return Optional.empty();
      }
    }
    return Optional.of(versions);
  }

  /** Adds a script's version; false for a file the fast path does not understand. */
  private static boolean add(Set<String> versions, String file) {
    Matcher m = VERSIONED.matcher(file);
    if (!m.matches()) return false;
    versions.add(normalize(m.group(1)));
    return true;
  }

  /** Flyway writes {@code 1_2} as {@code 1.2}; leading zeros do not count either. */
  private static String normalize(String version) {
    return version.replace('_', '.').replaceAll("(^|\\.)0+(?=\\d)", "$1");
  }
}

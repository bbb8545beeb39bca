package goose.session;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.Config;
import goose.user.User;
import goose.user.UserStore;
import goose.user.UserStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Migration V10 on a store written before user ids existed, on SQLite and PostgreSQL: an existing
 * user keeps its name as its id (so its sessions stay its own), a user named {@code local} gets a
 * fresh id (so it no longer owns the single-user sessions), and V11 leaves old approvals matching
 * no call.
 */
class UserIdMigrationTest {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void existingUsersKeepTheirDataAndLocalLosesTheSingleUsersData(SqlDialect dialect)
      throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("GOOSE_PATH_ROOT", dir.toString()));
    String jdbc;
    if (dialect == SqlDialect.POSTGRESQL) {
      String url = postgres.newBlankDatabaseUrl();
      env.put("GOOSE_DATABASE_URL", url);
      jdbc = PostgresUrl.parse(url).jdbcUrl();
    } else {
      Path file = Files.createDirectories(dir.resolve("data/sessions")).resolve("sessions.db");
      jdbc = "jdbc:sqlite:" + file;
    }
    Config config = Config.load(env, Files.createDirectories(dir.resolve("home")));
    PostgresUrl pg =
        dialect == SqlDialect.POSTGRESQL ? PostgresUrl.parse(env.get("GOOSE_DATABASE_URL")) : null;
    Flyway.configure()
        .dataSource(
            jdbc,
            pg == null ? null : pg.user().orElse(null),
            pg == null ? null : pg.password().orElse(null))
        .locations(dialect.migrations())
        .target("4")
        .load()
        .migrate();
    try (Connection c =
            pg == null
                ? DriverManager.getConnection(jdbc)
                : DriverManager.getConnection(
                    jdbc, pg.user().orElse(null), pg.password().orElse(null));
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "INSERT INTO users (name, admin, token_hash, created_at, token_created_at) VALUES"
              + " ('alice', FALSE, 'h1', 1, 1), ('local', TRUE, 'h2', 1, 1)");
      st.executeUpdate(
          "INSERT INTO sessions (id, owner, name, name_folded, working_dir, created_at, updated_at)"
              + " VALUES ('s-alice', 'alice', 'a', 'a', '/tmp', 1, 1), ('s-local', 'local', 'l', 'l', '/tmp', 1, 1)");
    }

    try (UserStore users = UserStores.open(config);
        SessionStore sessions = SessionStores.open(config)) {
      User alice = users.get("alice").orElseThrow();
      User local = users.get("local").orElseThrow();
      assertThat(alice.id()).isEqualTo("alice");
      assertThat(local.id()).startsWith("local#").hasSize("local#".length() + 16);
      assertThat(sessions.get(alice.id(), "s-alice")).as("alice's session stays hers").isPresent();
      assertThat(sessions.get(local.id(), "s-local"))
          .as("the token user named local no longer owns the single user's sessions")
          .isEmpty();
      assertThat(sessions.get("local", "s-local")).isPresent();
      assertThat(users.add("bob", false).user().id()).startsWith("bob#");
    }
  }
}

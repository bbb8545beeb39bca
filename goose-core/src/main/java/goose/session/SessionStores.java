package goose.session;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import goose.config.Config;
import goose.config.ConfigException;
import goose.config.ConfigValue;
import goose.config.PrivateFiles;
import goose.error.ErrorMessages;
import goose.event.ClusterSignals;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Opens the configured {@link SessionStore}: PostgreSQL when {@code GOOSE_DATABASE_URL} is set,
 * else the SQLite file {@code <data dir>/sessions/sessions.db}. Either way the schema is migrated
 * to the newest version before the store is returned.
 */
public final class SessionStores {
  /** Connections per instance to PostgreSQL; {@code GOOSE_DATABASE_POOL_SIZE} overrides it. */
  static final int DEFAULT_POSTGRES_POOL = 10;

  /** SQLite has one writer at a time; a few connections serve concurrent readers (WAL). */
  private static final int SQLITE_POOL = 8;

  /**
   * Connections a pool keeps open while idle; it opens more as requests need them, up to its size,
   * and closes those again after HikariCP's idle timeout (10 minutes). Hikari's default keeps the
   * whole pool open: ten PostgreSQL backends (a process each) per instance that does nothing, and
   * every store's opening paying for ten connections.
   */
  private static final int IDLE_CONNECTIONS = 2;

  private SessionStores() {}

  /**
   * The store this configuration names; a problem a person must fix throws a one-line {@link
   * ConfigException}.
   */
  public static SessionStore open(Config config) {
    return new JdbcSessionStore(openDatabase(config, Optional.empty()));
  }

  /**
   * The store as {@code goose server} opens it: like {@link #open}, and on SQLite holding the
   * server lock ({@link StoreLock#server}) until it is closed, so a second server on the same file
   * is refused ({@link StoreInUseException}); {@code goose acp} processes may share it.
   */
  public static SessionStore openForServer(Config config) {
    return openLocked(config, StoreLock::server);
  }

  /**
   * The store as {@code goose acp} opens it: like {@link #open}, and on SQLite holding a runner's
   * share ({@link StoreLock#runner}), beside a server and other {@code goose acp} processes.
   */
  public static SessionStore openForRunner(Config config) {
    return openLocked(config, StoreLock::runner);
  }

  private static SessionStore openLocked(
      Config config, java.util.function.Function<Path, StoreLock> locker) {
    if (postgresUrl(config).isPresent()) return open(config);
    Path file = sqliteFile(config);
    try {
      // Made 0700 from the start: created with the umask and tightened later, a fresh install
      // warned that the directories it had just made were open to other users.
      PrivateFiles.directory(config.paths().dataDir());
      PrivateFiles.directory(config.paths().sessionsDir());
    } catch (IOException e) {
      throw new ConfigException(
          "cannot create the sessions directory "
              + config.paths().sessionsDir()
              + ": "
              + e.getMessage(),
          e);
    }
    StoreLock lock = locker.apply(file);
    try {
      SqlDatabase db = openDatabase(config, Optional.empty());
      db.closeAfter(lock);
      return new JdbcSessionStore(db);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * The store this configuration names, for people: "sqlite FILE" or "postgresql URL" (password
   * left out).
   */
  public static String describe(Config config) {
    Optional<ConfigValue> url = postgresUrl(config);
    if (url.isEmpty()) return "sqlite " + sqliteFile(config);
    try {
      return "postgresql " + PostgresUrl.parse(url.get().value());
    } catch (IllegalArgumentException e) {
      return "postgresql (unparsable URL)";
    }
  }

  /**
   * The PostgreSQL database {@code GOOSE_DATABASE_URL} names; empty for SQLite. A URL that cannot
   * be read throws {@link ConfigException} naming where it came from.
   */
  static Optional<PostgresUrl> postgresTarget(Config config) {
    Optional<ConfigValue> url = postgresUrl(config);
    if (url.isEmpty()) return Optional.empty();
    try {
      return Optional.of(PostgresUrl.parse(url.get().value()));
    } catch (IllegalArgumentException e) {
      throw ConfigException.badValue(url.get(), ErrorMessages.of(e));
    }
  }

  /** {@code GOOSE_DATABASE_URL} when it names a database; empty or blank means SQLite. */
  static Optional<ConfigValue> postgresUrl(Config config) {
    return config.lookup(PostgresUrl.KEY).filter(v -> !v.value().isBlank());
  }

  /** The SQLite file of this configuration (whether or not PostgreSQL is configured instead). */
  public static Path sqliteFile(Config config) {
    return config.paths().sessionsDir().resolve("sessions.db");
  }

  /**
   * The configured database, its schema migrated to the newest version: what {@link #open} stores
   * sessions in, for other stores that keep their tables beside them (users). {@code
   * maxConnections} caps the pool (empty: the session store's size). The caller owns and closes it.
   */
  public static SqlDatabase openDatabase(Config config, Optional<Integer> maxConnections) {
    Optional<PostgresUrl> postgres = postgresTarget(config);
    if (postgres.isPresent()) {
      PostgresUrl target = postgres.get();
      int poolSize =
          maxConnections.orElseGet(
              () -> config.getInt("GOOSE_DATABASE_POOL_SIZE", DEFAULT_POSTGRES_POOL, 1, 1000));
      return openOrExplain(
          "the PostgreSQL database " + target,
          target::redact,
          () -> postgresDatabase(target, poolSize));
    }
    Path dir = config.paths().sessionsDir();
    Path file = sqliteFile(config);
    try {
      // The store holds every conversation and the token hashes: the server's user only. SQLite
      // creates the -wal and -shm files with the mode of the database file.
      PrivateFiles.directory(config.paths().dataDir());
      PrivateFiles.directory(dir);
      PrivateFiles.file(file);
      PrivateFiles.tightenIfPresent(dir.resolve("sessions.db-wal"));
      PrivateFiles.tightenIfPresent(dir.resolve("sessions.db-shm"));
    } catch (IOException e) {
      throw new ConfigException(
          "cannot create the sessions directory " + dir + ": " + e.getMessage(), e);
    }
    return openOrExplain(
        "the SQLite database " + file,
        UnaryOperator.identity(),
        () -> sqliteDatabase(file, maxConnections.orElse(SQLITE_POOL)));
  }

  /**
   * The signals between the processes sharing {@code store} (which this class must have opened):
   * LISTEN/NOTIFY on PostgreSQL, a polled table on SQLite ({@link SqliteSignals}). {@code
   * instanceId} lets a process ignore its own signals. On PostgreSQL the store sends the event
   * signals itself, in each event's insert transaction.
   */
  public static ClusterSignals openSignals(Config config, SessionStore store, String instanceId) {
    Optional<ConfigValue> url = postgresUrl(config);
    if (url.isEmpty()) return new SqliteSignals(database(store), instanceId);
    boolean storeSignalsEvents =
        store instanceof JdbcSessionStore jdbc && jdbc.signalEventsAs(instanceId);
    return new PostgresSignals(
        PostgresUrl.parse(url.get().value()), instanceId, storeSignalsEvents);
  }

  /**
   * "sqlite" or "postgresql": the database of {@code store} (which this class must have opened).
   */
  public static String engine(SessionStore store) {
    return database(store).dialect() == SqlDialect.SQLITE ? "sqlite" : "postgresql";
  }

  /**
   * SQLite in WAL mode: readers never wait for the writer. {@code synchronous=NORMAL} (the usual
   * WAL setting) keeps every commit across a crash of the process; only a power loss may lose the
   * last moments. {@code transaction_mode=IMMEDIATE} takes the write lock at BEGIN, so a
   * transaction never fails halfway on a lock upgrade; {@code busy_timeout} covers other processes
   * on the same file.
   */
  public static SessionStore openSqlite(Path file) {
    return new JdbcSessionStore(sqliteDatabase(file, SQLITE_POOL));
  }

  private static SqlDatabase sqliteDatabase(Path file, int poolSize) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("goose-sqlite");
    hikari.setJdbcUrl(
        "jdbc:sqlite:"
            + file.toAbsolutePath()
            + "?journal_mode=WAL&busy_timeout=5000&foreign_keys=true&synchronous=NORMAL&transaction_mode=IMMEDIATE");
    hikari.setMaximumPoolSize(poolSize);
    hikari.setMinimumIdle(Math.min(IDLE_CONNECTIONS, poolSize));
    return start(new HikariDataSource(hikari), SqlDialect.SQLITE);
  }

  static SessionStore openPostgres(PostgresUrl url, int poolSize) {
    return new JdbcSessionStore(postgresDatabase(url, poolSize));
  }

  private static SqlDatabase postgresDatabase(PostgresUrl url, int poolSize) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("goose-postgresql");
    hikari.setJdbcUrl(url.jdbcUrl());
    url.user().ifPresent(hikari::setUsername);
    url.password().ifPresent(hikari::setPassword);
    hikari.setMaximumPoolSize(poolSize);
    hikari.setMinimumIdle(Math.min(IDLE_CONNECTIONS, poolSize));
    hikari.setConnectionTimeout(10_000);
    return start(new HikariDataSource(hikari), SqlDialect.POSTGRESQL);
  }

  /**
   * The tool approvals kept in the same database as {@code store} (which this class must have
   * opened).
   */
  public static goose.approval.ApprovalStore approvals(SessionStore store) {
    return new JdbcApprovalStore(database(store));
  }

  /**
   * The tool-call audit kept in the same database as {@code store} (which this class must have
   * opened).
   */
  public static goose.approval.AuditLog audit(SessionStore store) {
    return new JdbcAuditLog(database(store));
  }

  /**
   * The registry of server instances kept in the same database as {@code store} (which this class
   * must have opened).
   */
  public static InstanceRegistry instances(SessionStore store) {
    return new JdbcInstanceRegistry(database(store));
  }

  /**
   * The todo lists of the todo built-in, kept in the same database as {@code store} (which this
   * class must have opened).
   */
  public static goose.notes.TodoStore todos(SessionStore store) {
    return new JdbcNotes(database(store));
  }

  /** The memories of the memory built-in, kept in the same database as {@code store}. */
  public static goose.notes.MemoryStore memories(SessionStore store) {
    return new JdbcNotes(database(store));
  }

  /** Extensions managed through the API on a shared store, kept in the same database. */
  public static goose.extension.ExtensionStore extensionConfigs(SessionStore store) {
    return new JdbcExtensionStore(database(store));
  }

  private static SqlDatabase database(SessionStore store) {
    if (store instanceof JdbcSessionStore jdbc) return jdbc.database();
    throw new IllegalArgumentException(
        "not a store opened by SessionStores: " + store.getClass().getName());
  }

  /** Opens a PostgreSQL store from a URL in either accepted form (for tools and tests). */
  public static SessionStore openPostgres(String url) {
    return openPostgres(PostgresUrl.parse(url), DEFAULT_POSTGRES_POOL);
  }

  private static SqlDatabase start(HikariDataSource pool, SqlDialect dialect) {
    SqlDatabase db = new SqlDatabase(pool, dialect);
    try {
      db.migrate();
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** Turns a failure to connect or migrate into one line a person can act on, password removed. */
  private static SqlDatabase openOrExplain(
      String what, UnaryOperator<String> redactor, Supplier<SqlDatabase> opener) {
    try {
      return opener.get();
    } catch (RuntimeException e) {
      throw new ConfigException("cannot open " + what + ": " + redactor.apply(rootMessage(e)), e);
    }
  }

  /**
   * The database driver's own words (first line), and the underlying cause when it adds something.
   */
  private static String rootMessage(Throwable e) {
    Throwable driver = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException) {
        driver = t;
        break;
      }
    }
    Throwable root = driver;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String message = firstLine(driver);
    String underlying =
        root instanceof java.net.UnknownHostException
            ? "unknown host " + firstLine(root)
            : firstLine(root);
    return root == driver || message.contains(underlying)
        ? message
        : message + " (" + underlying + ")";
  }

  private static String firstLine(Throwable t) {
    String message = ErrorMessages.of(t);
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}

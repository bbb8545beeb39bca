package goose.session;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * A pooled database with its dialect: runs a unit of work as a read (auto-commit) or as one write
 * transaction. On a single-writer database (SQLite) writes queue in process (first in, first out)
 * and one writer at a time, holding an in-process lock, takes a connection and runs them, so
 * concurrent writers neither fail with SQLITE_BUSY nor hold connections readers need.
 *
 * <p>Group commit on SQLite: the writer that gets the lock also runs the writes queued behind it
 * and commits them together, then wakes each of their writers at once; when it leaves writes queued
 * it wakes the next one's writer to take the lock. (A fair lock that every writer passed through,
 * its write done or not, made a convoy: thousands of waits in a row, each for a carrier thread,
 * behind one commit.) A commit is the expensive part of a small write, so under concurrent load
 * (thousands of streaming turns appending events) one commit serves many writes. Every write still
 * returns only once it is committed, and a write that fails is rolled back alone: the others in its
 * batch are not affected. The writes of a batch first run plainly one after the other; only when
 * one throws is the batch rolled back and run again with a savepoint around each write. A batched
 * {@link Work} can therefore run twice, and must not act outside its connection (none does: they
 * are SQL statements and the values they return). A lone write runs exactly as before.
 */
public final class SqlDatabase implements AutoCloseable {

  /** A unit of work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final HikariDataSource pool;
  private final SqlDialect dialect;

  /** Most writes one commit takes: bounds how long the first writer of a batch waits. */
  static final int MAX_BATCH = 256;

  private final ReentrantLock writeLock = new ReentrantLock();
  private final List<AutoCloseable> closeAfter = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Pending<?>> queued = new ConcurrentLinkedQueue<>();

  /**
   * Writes that go before every queued one: the lease heartbeat's. Behind thousands of streaming
   * turns' appends a renewal would wait longer than the lease lasts, and the turns would lose it.
   */
  private final ConcurrentLinkedQueue<Pending<?>> urgent = new ConcurrentLinkedQueue<>();

  SqlDatabase(HikariDataSource pool, SqlDialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  SqlDialect dialect() {
    return dialect;
  }

  /**
   * Brings the schema to the newest version (Flyway; safe when several instances start at once). A
   * schema that already has exactly the bundled migrations is left as it is without creating Flyway
   * ({@link CurrentSchema}): most starts are on an existing store.
   *
   * @return true when Flyway ran, false when the schema was current
   */
  boolean migrate() {
    if (CurrentSchema.isCurrent(pool, dialect)) return false;
    FluentConfiguration flyway =
        Flyway.configure().dataSource(pool).locations(dialect.migrations());
    // A new database (no history table): Flyway's validation has no applied migration to compare
    // with the bundled ones (checksums, missing or failed ones) and only resolves and lists them
    // once more; whatever it would reject (a duplicate version, a non-empty schema without
    // history) migrate() rejects as well. And every script in one transaction, not one each: one
    // commit and one re-read of the history instead of one per script, the same schema and history
    // rows; a script that fails leaves the database new instead of half migrated. Together ~7 % of
    // a new server's start-up CPU. A database with history is validated and migrated as before.
    if (!CurrentSchema.hasHistoryTable(pool)) flyway.validateOnMigrate(false).group(true);
    flyway.load().migrate();
    return true;
  }

  public <T> T read(Work<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
  public <T> T write(Work<T> work) throws SQLException {
    return write(work, queued);
  }

  /**
   * {@link #write}, run in the next batch ahead of the writes already queued (on a single-writer
   * database; elsewhere writes do not queue here). For small writes that must not wait behind a
   * backlog: lease renewals, instance heartbeats.
   */
  public <T> T writeFirst(Work<T> work) throws SQLException {
    return write(work, urgent);
  }

  private <T> T write(Work<T> work, ConcurrentLinkedQueue<Pending<?>> lane) throws SQLException {
    if (!dialect.singleWriter()) return transaction(work);
    Pending<T> mine = new Pending<>(work, Thread.currentThread());
    lane.add(mine);
    boolean interrupted = false;
    while (!mine.done) {
      if (writeLock.tryLock()) {
        try {
          while (!mine.done)
            runBatch(); // usually one batch: ours was queued before we took the lock
        } finally {
          writeLock.unlock();
        }
        wakeNextWriter();
      } else {
        // The writer holding the lock runs our write in its next batch and wakes us when it is
        // committed, or wakes us to take the lock when it leaves queued writes behind. A write is
        // not abandoned on interrupt (it may already be running): the flag is kept for the caller.
        LockSupport.park(this);
        if (Thread.interrupted()) interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    return mine.result();
  }

  /**
   * After releasing the lock: the writer whose write is next wakes up to take it. A writer that
   * queued its write while the lock was held found the lock taken and parked; queued before this
   * look, it is seen here.
   */
  private void wakeNextWriter() {
    Pending<?> next = urgent.peek();
    if (next == null) next = queued.peek();
    if (next != null) LockSupport.unpark(next.thread);
  }

  /** Writes waiting for the write lock (for tests). */
  int queuedWrites() {
    return urgent.size() + queued.size();
  }

  private @Nullable Pending<?> nextQueued() {
    Pending<?> first = urgent.poll();
    return first != null ? first : queued.poll();
  }

  /**
   * Runs the queued writes (at most {@link #MAX_BATCH}) in one transaction. Called with the write
   * lock held.
   */
  private void runBatch() {
    List<Pending<?>> batch = new ArrayList<>();
    Pending<?> next;
    while (batch.size() < MAX_BATCH && (next = nextQueued()) != null) batch.add(next);
    if (batch.isEmpty()) return;
    if (batch.size() == 1) {
      batch.getFirst().runAlone(this);
      batch.getFirst().finish();
      return;
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (!runTogether(c, batch)) {
          // A write failed: undo the whole batch and run it again with a savepoint per write, so
          // that only the failing one is rolled back.
          c.rollback();
          for (Pending<?> p : batch) p.runInSavepoint(c);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        for (Pending<?> p : batch) p.failUnlessFailed(e);
      }
    } catch (SQLException | RuntimeException e) {
      for (Pending<?> p : batch) p.failUnlessFailed(e);
    } finally {
      for (Pending<?> p : batch) p.finish();
    }
  }

  /**
   * Runs the batch's writes one after the other without savepoints (with sqlite-jdbc a savepoint
   * and its release are two more statements per write, about a third of a small write's cost);
   * false, leaving the transaction to be rolled back, as soon as one throws.
   */
  private static boolean runTogether(Connection c, List<Pending<?>> batch) {
    for (Pending<?> p : batch) {
      if (!p.runPlain(c)) return false;
    }
    return true;
  }

  /**
   * One queued write, the thread waiting for it and, once {@code done}, its outcome. Fields are
   * written under the write lock; {@code done}, written last, is volatile, so the writer reads the
   * outcome without the lock.
   */
  private static final class Pending<T> {
    private final Work<T> work;
    private final Thread thread;
    private @Nullable T value;
    private @Nullable Exception error;
    private volatile boolean done; // read without the lock by its writer

    Pending(Work<T> work, Thread thread) {
      this.work = work;
      this.thread = thread;
    }

    /** Marks the outcome final and wakes the writer waiting for it. */
    void finish() {
      done = true;
      if (thread != Thread.currentThread()) LockSupport.unpark(thread);
    }

    void runAlone(SqlDatabase db) {
      try {
        value = db.transaction(work);
      } catch (SQLException | RuntimeException e) {
        error = e;
      }
    }

    /** Runs the write in the open transaction; false (no outcome kept) when it throws. */
    boolean runPlain(Connection c) {
      try {
        value = work.run(c);
        return true;
      } catch (SQLException | RuntimeException e) {
        value = null;
        return false;
      }
    }

    void runInSavepoint(Connection c) throws SQLException {
      value = null;
      Savepoint savepoint = c.setSavepoint();
      try {
        value = work.run(c);
        c.releaseSavepoint(savepoint);
      } catch (SQLException | RuntimeException e) {
        error = e;
        c.rollback(savepoint); // only this write's changes; a failure here fails the whole batch
        c.releaseSavepoint(savepoint);
      }
    }

    /**
     * The batch failed as a whole (commit, connection): every write in it failed, even one that had
     * run.
     */
    void failUnlessFailed(Exception e) {
      if (error == null) {
        error = e;
        value = null;
      }
    }

    T result() throws SQLException {
      if (error instanceof SQLException e) throw e;
      if (error instanceof RuntimeException e) throw e;
      return Objects.requireNonNull(value, "the write has not run"); // no Work returns null
    }
  }

  private <T> T transaction(Work<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(
          false); // SQLite: BEGIN IMMEDIATE (transaction_mode in the URL), the write lock up front
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      } // the pool restores auto-commit when the connection goes back
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** True when {@code e} is a unique-constraint violation on this database (a duplicate key). */
  public boolean isUniqueViolation(SQLException e) {
    return dialect.violation(e) == SqlDialect.Violation.UNIQUE;
  }

  /** Closes {@code resource} (a {@link StoreLock}) once the pool is closed. */
  void closeAfter(AutoCloseable resource) {
    closeAfter.add(resource);
  }

  @Override
  public void close() {
    try {
      pool.close();
    } finally {
      for (AutoCloseable resource : closeAfter) {
        try {
          resource.close();
        } catch (Exception e) {
          org.slf4j.LoggerFactory.getLogger(SqlDatabase.class)
              .warn("could not release {}: {}", resource, e.toString());
        }
      }
    }
  }
}

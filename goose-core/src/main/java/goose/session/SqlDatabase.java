package goose.session;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;

/**
 * A pooled database with its dialect: runs a unit of work as a read (auto-commit) or as one write
 * transaction. On a single-writer database (SQLite) writers queue on a fair in-process lock before they
 * take a connection, so concurrent writers neither fail with SQLITE_BUSY nor hold connections readers need.
 */
public final class SqlDatabase implements AutoCloseable {

  /** A unit of work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final HikariDataSource pool;
  private final SqlDialect dialect;
  private final ReentrantLock writeLock = new ReentrantLock(true);

  SqlDatabase(HikariDataSource pool, SqlDialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  SqlDialect dialect() {
    return dialect;
  }

  /** Brings the schema to the newest version (Flyway; safe when several instances start at once). */
  void migrate() {
    Flyway.configure().dataSource(pool).locations(dialect.migrations()).load().migrate();
  }

  public <T> T read(Work<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    }
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T write(Work<T> work) throws SQLException {
    if (!dialect.singleWriter()) return transaction(work);
    writeLock.lock();
    try {
      return transaction(work);
    } finally {
      writeLock.unlock();
    }
  }

  private <T> T transaction(Work<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false); // SQLite: BEGIN IMMEDIATE (transaction_mode in the URL), the write lock up front
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

  @Override
  public void close() {
    pool.close();
  }
}

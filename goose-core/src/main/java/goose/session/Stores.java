package goose.session;

import java.sql.SQLException;

/**
 * Runs store work on a {@link SqlDatabase}, turning a database failure into a {@link
 * StoreException}.
 */
final class Stores {
  private Stores() {}

  static <T> T read(SqlDatabase db, SqlDatabase.Work<T> work) {
    try {
      return db.read(work);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  static <T> T write(SqlDatabase db, SqlDatabase.Work<T> work) {
    try {
      return db.write(work);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** {@link #write} ahead of the writes queued on a single-writer database. */
  static <T> T writeFirst(SqlDatabase db, SqlDatabase.Work<T> work) {
    try {
      return db.writeFirst(work);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  static StoreException failed(SQLException e) {
    return new StoreException("store: " + e.getMessage(), e);
  }
}

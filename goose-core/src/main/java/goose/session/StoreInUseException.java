package goose.session;

import java.nio.file.Path;

/**
 * A SQLite store is already held by a running server ({@link StoreLock}); the message says which
 * process and what to do, on one line.
 */
public final class StoreInUseException extends RuntimeException {
  public StoreInUseException(Path database, String holder) {
    super(
        "the SQLite store "
            + database
            + " is already in use by "
            + holder
            + "; stop that server first, or give this one its own data directory (GOOSE_PATH_ROOT)",
        null,
        false,
        false);
  }
}

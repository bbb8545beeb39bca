package goose.session;

import java.nio.file.Path;

/**
 * A SQLite store is already held by a running server, or used by processes that exclude what was
 * asked ({@link StoreLock}); the message says which process and what to do, on one line.
 */
public final class StoreInUseException extends RuntimeException {
  public StoreInUseException(Path database, String holder) {
    this(
        "the SQLite store "
            + database
            + " is already in use by "
            + holder
            + "; stop that server first, or give this one its own data directory (GOOSE_PATH_ROOT)");
  }

  private StoreInUseException(String message) {
    super(message, null, false, false);
  }

  /** Other processes run turns on the store ({@code goose acp} of editors, or a server). */
  static StoreInUseException byRunners(Path database) {
    return new StoreInUseException(
        "the SQLite store "
            + database
            + " is in use by other goose processes (a 'goose acp' started by an editor, or a"
            + " server); stop them first");
  }
}

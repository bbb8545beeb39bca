package goose.session;

/**
 * The database failed (unreachable, disk full, corrupt): not the caller's fault, nothing to fix in
 * the request.
 */
public final class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

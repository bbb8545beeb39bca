package goose.session;

/** A list cursor that this store did not produce (or that was tampered with). */
public final class InvalidCursorException extends IllegalArgumentException {
  public InvalidCursorException(String message) {
    super(message);
  }
}

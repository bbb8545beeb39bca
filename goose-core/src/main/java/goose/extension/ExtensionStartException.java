package goose.extension;

/** An extension's server could not be started or initialised; the message says why, in one line. */
final class ExtensionStartException extends RuntimeException {
  ExtensionStartException(String message) {
    super(message);
  }

  ExtensionStartException(String message, Throwable cause) {
    super(message, cause);
  }
}

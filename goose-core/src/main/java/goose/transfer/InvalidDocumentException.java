package goose.transfer;

/** A session document that cannot be imported; the message names the problem (and where). */
public final class InvalidDocumentException extends IllegalArgumentException {
  public InvalidDocumentException(String message) {
    super(message);
  }
}

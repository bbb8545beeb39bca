package goose.error;

/**
 * Text for an exception in a message to a person. Many exceptions carry no message (a bare {@code
 * NullPointerException}, most {@code IOException}s from the JDK), so the class name stands in.
 */
public final class ErrorMessages {
  private ErrorMessages() {}

  /** The exception's message, or its class's simple name when it has none. */
  public static String of(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}

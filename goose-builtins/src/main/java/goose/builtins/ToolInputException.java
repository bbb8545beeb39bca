package goose.builtins;

/**
 * A tool call the tool cannot carry out as asked; the message goes back to the model as the error.
 */
public final class ToolInputException extends Exception {
  public ToolInputException(String message) {
    super(message);
  }
}

package goose.session;

/** A turn was started while another turn of the same session is running. */
public final class TurnConflictException extends RuntimeException {
  private final String runningTurnId;

  public TurnConflictException(String sessionId, String runningTurnId) {
    super("a turn is already running in session " + sessionId);
    this.runningTurnId = runningTurnId;
  }

  public String runningTurnId() {
    return runningTurnId;
  }
}

package goose.agent;

/**
 * A turn tried to write after its lease lapsed: another instance may own the session now, so it
 * must stop.
 */
public final class LeaseLostException extends RuntimeException {
  public LeaseLostException(String sessionId, String turnId) {
    super(
        "turn "
            + turnId
            + " of session "
            + sessionId
            + " lost its lease; it stops without writing");
  }
}

package goose.agent;

/**
 * A message sent with a request id that already names a turn of the session started by a different
 * message: a retry carries the same message, so this is another request under a reused id, and
 * re-attaching to the first turn would drop it without a word.
 */
public final class RequestIdReusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RequestIdReusedException(String requestId, String turnId) {
    super(
        "request_id "
            + requestId
            + " was already used for a different message in this session (turn "
            + turnId
            + "); a retry must send the same message, another message needs a new request_id");
  }
}

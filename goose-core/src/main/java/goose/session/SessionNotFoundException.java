package goose.session;

/** No session with this id for this user (another user's session is reported the same way). */
public final class SessionNotFoundException extends RuntimeException {
  public SessionNotFoundException(String id) {
    super("session " + id + " not found");
  }
}

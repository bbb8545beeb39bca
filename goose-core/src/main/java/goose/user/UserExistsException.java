package goose.user;

/** {@link UserStore#add} with a name that is already taken. */
public final class UserExistsException extends RuntimeException {
  public UserExistsException(String name) {
    super(
        "user " + name + " already exists (use 'goose users rotate " + name + "' for a new token)");
  }
}

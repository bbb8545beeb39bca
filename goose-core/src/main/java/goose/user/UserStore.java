package goose.user;

import java.util.List;
import java.util.Optional;

/**
 * Users and their API tokens, kept in the same database as the sessions so that {@code goose users
 * ...} run in another process is seen by a running server at once (every lookup reads the
 * database). Implementations are safe for concurrent use.
 */
public interface UserStore extends AutoCloseable {

  /** Creates a user with a new token; {@link UserExistsException} when the name is taken. */
  IssuedToken add(String name, boolean admin);

  /**
   * Replaces the user's token (the old one stops working at once); empty when there is no such
   * user.
   */
  Optional<IssuedToken> rotate(String name);

  /**
   * Removes the user (its token stops working at once); false when there was none. Sessions stay.
   */
  boolean remove(String name);

  /** Every user, by name. */
  List<User> list();

  Optional<User> get(String name);

  /**
   * Whether a user with this id (what owns the user's data, {@link User#id()}) exists now: false
   * once the user was removed, also by another process. One indexed read; a running turn asks it
   * before each model call and each tool call.
   */
  boolean existsById(String id);

  /** The user whose token this is; empty for an unknown, revoked or malformed token. */
  Optional<User> authenticate(String token);

  @Override
  void close();
}

package goose.server.http;

import goose.user.UserNames;
import io.javalin.http.Context;

/**
 * The user a request acts for. Without authentication (loopback only) every request belongs to
 * {@link #LOCAL}, who administers the server; the authentication filter sets the user of each
 * request, and nothing else has to change.
 *
 * @param name the name people know the user by (shown in logs and the audit)
 * @param id what owns the user's data: every session, approval, stream and turn is scoped by it. A
 *     token user's id is given when the user is added, so removing a user and adding another of the
 *     same name never hands over the first one's data; a proxy user's id is the name the proxy
 *     vouches for, and the local user's is {@code local}
 * @param admin may manage the server (extensions, audit, users)
 */
public record RequestUser(String name, String id, boolean admin) {
  public static final RequestUser LOCAL = named(UserNames.LOCAL, true);
  private static final String ATTRIBUTE = "goose.user";

  /** A user whose name is its id (the local user, a proxy user). */
  public static RequestUser named(String name, boolean admin) {
    return new RequestUser(name, name, admin);
  }

  public static RequestUser of(Context ctx) {
    return ctx.attribute(ATTRIBUTE) instanceof RequestUser user ? user : LOCAL;
  }

  /** For the authentication filter: the request's user once its credentials are checked. */
  public static void set(Context ctx, RequestUser user) {
    ctx.attribute(ATTRIBUTE, user);
  }
}

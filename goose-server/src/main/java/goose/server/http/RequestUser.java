package goose.server.http;

import io.javalin.http.Context;

/**
 * The user a request acts for. Every session, list and stream is scoped by {@link #name()}. Without
 * authentication (loopback only) every request belongs to {@link #LOCAL}, who administers the
 * server; the authentication filter sets the user of each request, and nothing else has to change.
 *
 * @param admin may manage the server (extensions, audit, users)
 */
public record RequestUser(String name, boolean admin) {
  public static final RequestUser LOCAL = new RequestUser("local", true);
  private static final String ATTRIBUTE = "goose.user";

  public static RequestUser of(Context ctx) {
    return ctx.attribute(ATTRIBUTE) instanceof RequestUser user ? user : LOCAL;
  }

  /** For the authentication filter: the request's user once its credentials are checked. */
  public static void set(Context ctx, RequestUser user) {
    ctx.attribute(ATTRIBUTE, user);
  }
}

package goose.server.http;

import io.javalin.http.Context;

/**
 * The user a request acts for. Every session, list and stream is scoped by it. Until the auth modes
 * (none / secret / tokens / proxy) exist, every request belongs to {@link #LOCAL}; the auth filter will
 * set the attribute this reads, and nothing else has to change.
 */
public record RequestUser(String name) {
  public static final RequestUser LOCAL = new RequestUser("local");
  private static final String ATTRIBUTE = "goose.user";

  public static RequestUser of(Context ctx) {
    return ctx.attribute(ATTRIBUTE) instanceof RequestUser user ? user : LOCAL;
  }

  /** For the authentication filter: the request's user once its credentials are checked. */
  public static void set(Context ctx, RequestUser user) {
    ctx.attribute(ATTRIBUTE, user);
  }
}

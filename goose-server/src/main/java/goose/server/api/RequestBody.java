package goose.server.api;

import io.javalin.http.Context;

/**
 * The request body of a route that declared one ({@link Operation.Builder#body}), already parsed
 * and checked.
 */
public final class RequestBody {
  static final String ATTRIBUTE = "goose.body";

  private RequestBody() {}

  public static <T> T of(Context ctx, Class<T> type) {
    Object body = ctx.attribute(ATTRIBUTE);
    if (!type.isInstance(body)) {
      throw new IllegalStateException(
          "route " + ctx.endpoint().path + " did not declare a " + type.getSimpleName() + " body");
    }
    return type.cast(body);
  }
}

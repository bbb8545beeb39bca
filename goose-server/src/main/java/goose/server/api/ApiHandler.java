package goose.server.api;

import io.javalin.http.Context;

/** A route's handler: the Javalin context of the request plus the server's services. */
@FunctionalInterface
public interface ApiHandler {
  void handle(Context ctx, ServerContext server) throws Exception;
}

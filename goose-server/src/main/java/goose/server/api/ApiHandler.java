package goose.server.api;

import io.javalin.http.Context;

/**
 * A route's handler: a method of its route group {@code G}, called on the group instance the server
 * built with the services that group uses (its constructor parameters), never the whole {@link
 * ServerContext}. Written as an unbound method reference ({@code SessionRoutes::create}), so the
 * routes can be declared, and documented, without a server.
 */
@FunctionalInterface
public interface ApiHandler<G> {
  void handle(G group, Context ctx) throws Exception;

  /** A handler together with the type of the group it runs on. */
  record Of<G>(Class<G> group, ApiHandler<G> handler) {
    /**
     * The Javalin handler calling this one on the instance of its group among {@code groups}.
     *
     * @throws IllegalStateException when no instance of the group is given (a wiring mistake, seen
     *     at start)
     */
    io.javalin.http.Handler bind(java.util.Collection<?> groups) {
      G instance =
          groups.stream()
              .filter(group::isInstance)
              .map(group::cast)
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("no route group " + group.getSimpleName()));
      return ctx -> handler.handle(instance, ctx);
    }
  }
}

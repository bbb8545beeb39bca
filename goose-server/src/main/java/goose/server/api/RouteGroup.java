package goose.server.api;

/**
 * One resource's routes (status, sessions, turns, ...). A group declares each route once on the
 * {@link ApiRouter}, with its OpenAPI metadata and its handler; the same declaration serves
 * requests and documents them. Groups hold no per-server state (handlers get the {@link
 * ServerContext}), so the OpenAPI document can be produced without starting a server.
 */
public interface RouteGroup {
  void declare(ApiRouter api);
}

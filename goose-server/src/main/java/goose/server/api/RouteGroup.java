package goose.server.api;

/**
 * One resource's routes (status, sessions, turns, ...). A group class declares each route once, in
 * a static {@code declare(ApiRouter.Routes<ItsClass> api)}, with its OpenAPI metadata and its
 * handler (an instance method); the same declaration serves requests and documents them. An
 * instance holds the services its handlers use, given to its constructor, so the OpenAPI document
 * can be produced without starting a server while no handler sees more than it needs.
 */
public interface RouteGroup {}

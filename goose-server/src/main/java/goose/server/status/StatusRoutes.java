package goose.server.status;

import goose.server.api.Access;
import goose.server.api.ApiRouter;
import goose.server.api.BuildInfo;
import goose.server.api.RouteGroup;

/**
 * {@code GET /status}: liveness for people, load balancers and container health checks. Never needs
 * credentials.
 */
public final class StatusRoutes implements RouteGroup {
  private static final StatusResponse OK = new StatusResponse("ok", BuildInfo.version());

  @Override
  public void declare(ApiRouter api) {
    api.get("/status", "getStatus")
        .tag("status")
        .access(Access.PUBLIC)
        .summary("Is the server up?")
        .description(
            "Always answers 200 while the server runs; needs no credentials in any auth mode.")
        .response(200, "The server is up", StatusResponse.class)
        .handle((ctx, server) -> ctx.json(OK));
    api.get("/health", "getHealth")
        .tag("status")
        .access(Access.PUBLIC)
        .summary("Is the server up? (goose's name for /status)")
        .description(
            "The same answer as /status, at the path goose serve and goose desktop probe; needs no credentials.")
        .response(200, "The server is up", StatusResponse.class)
        .handle((ctx, server) -> ctx.json(OK));
  }
}

package goose.server.status;

import goose.provider.Provider;
import goose.server.api.Access;
import goose.server.api.ApiRouter;
import goose.server.api.BuildInfo;
import goose.server.api.RouteGroup;
import goose.server.api.ServerContext;
import goose.server.http.RequestUser;
import java.util.Optional;

/**
 * {@code GET /status}: liveness for people, load balancers and container health checks. Never needs
 * credentials. {@code GET /info}: what the server runs with, for a signed-in client.
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
    api.get("/info", "getServerInfo")
        .tag("status")
        .summary("Version, auth mode, provider, model and store of this server, and who is asking")
        .response(200, "The server and the caller", ServerInfo.class)
        .handle((ctx, server) -> ctx.json(info(server, RequestUser.of(ctx))));
  }

  private static ServerInfo info(ServerContext server, RequestUser user) {
    Optional<Provider> provider = server.turns().configuredProvider();
    return new ServerInfo(
        BuildInfo.version(),
        server.security().auth().mode().wire(),
        user.name(),
        user.admin(),
        provider.map(Provider::name),
        provider.map(Provider::model),
        goose.session.SessionStores.engine(server.sessions()),
        server.approvals().settings().defaultMode().wire());
  }
}

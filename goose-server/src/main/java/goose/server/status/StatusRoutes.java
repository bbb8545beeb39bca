package goose.server.status;

import goose.agent.TurnService;
import goose.approval.Approvals;
import goose.provider.Provider;
import goose.server.api.Access;
import goose.server.api.ApiRouter;
import goose.server.api.BuildInfo;
import goose.server.api.RouteGroup;
import goose.server.auth.AuthMode;
import goose.server.http.RequestUser;
import goose.session.SessionStore;
import java.util.Optional;

/**
 * {@code GET /status}: liveness for people, load balancers and container health checks. Never needs
 * credentials. {@code GET /info}: what the server runs with, for a signed-in client.
 */
public final class StatusRoutes implements RouteGroup {
  /** The answer of {@code /status} and {@code /health}: the server is up. */
  public static final StatusResponse UP = new StatusResponse("ok", BuildInfo.version());

  private final TurnService turns;
  private final SessionStore sessions;
  private final Approvals approvals;
  private final AuthMode authMode;

  public StatusRoutes(
      TurnService turns, SessionStore sessions, Approvals approvals, AuthMode authMode) {
    this.turns = turns;
    this.sessions = sessions;
    this.approvals = approvals;
    this.authMode = authMode;
  }

  public static void declare(ApiRouter.Routes<StatusRoutes> api) {
    api.get("/status", "getStatus")
        .tag("status")
        .access(Access.PUBLIC)
        .summary("Is the server up?")
        .description(
            "Always answers 200 while the server runs; needs no credentials in any auth mode.")
        .response(200, "The server is up", StatusResponse.class)
        .handle((group, ctx) -> ctx.json(UP));
    api.get("/health", "getHealth")
        .tag("status")
        .access(Access.PUBLIC)
        .summary("Is the server up? (goose's name for /status)")
        .description(
            "The same answer as /status, at the path goose serve and goose desktop probe; needs no credentials.")
        .response(200, "The server is up", StatusResponse.class)
        .handle((group, ctx) -> ctx.json(UP));
    api.get("/info", "getServerInfo")
        .tag("status")
        .summary("Version, auth mode, provider, model and store of this server, and who is asking")
        .response(200, "The server and the caller", ServerInfo.class)
        .handle((group, ctx) -> ctx.json(group.info(RequestUser.of(ctx))));
  }

  private ServerInfo info(RequestUser user) {
    Optional<Provider> provider = turns.configuredProvider();
    return new ServerInfo(
        BuildInfo.version(),
        authMode.wire(),
        user.name(),
        user.admin(),
        provider.map(Provider::name),
        provider.map(Provider::model),
        goose.session.SessionStores.engine(sessions),
        approvals.settings().defaultMode().wire());
  }
}

package goose.server;

import goose.server.acp.AcpRoutes;
import goose.server.api.ApiRouter;
import goose.server.api.RouteGroup;
import goose.server.api.ServerContext;
import goose.server.approval.ApprovalRoutes;
import goose.server.audit.AuditRoutes;
import goose.server.auth.Security;
import goose.server.extension.ExtensionRoutes;
import goose.server.metrics.MetricsRoutes;
import goose.server.openapi.DocsRoutes;
import goose.server.session.SessionRoutes;
import goose.server.session.SessionTransferRoutes;
import goose.server.status.StatusRoutes;
import goose.server.turn.TurnRoutes;
import goose.server.ui.UiRoutes;
import java.util.List;

/**
 * Every route group of the server, in the order the OpenAPI document lists them: declared without a
 * server ({@link #router}), then built with the services each one uses ({@link #groups}). This is
 * the one place that hands the parts of the {@link ServerContext} to the handlers. A new resource
 * is one new {@link RouteGroup} class added to both lists.
 */
final class ServerRoutes {
  private ServerRoutes() {}

  static ApiRouter router() {
    ApiRouter api = new ApiRouter();
    StatusRoutes.declare(api.routes(StatusRoutes.class));
    SessionRoutes.declare(api.routes(SessionRoutes.class));
    SessionTransferRoutes.declare(api.routes(SessionTransferRoutes.class));
    TurnRoutes.declare(api.routes(TurnRoutes.class));
    ApprovalRoutes.declare(api.routes(ApprovalRoutes.class));
    ExtensionRoutes.declare(api.routes(ExtensionRoutes.class));
    AuditRoutes.declare(api.routes(AuditRoutes.class));
    AcpRoutes.declare(api.routes(AcpRoutes.class));
    MetricsRoutes.declare(api.routes(MetricsRoutes.class));
    DocsRoutes.declare(api.routes(DocsRoutes.class));
    UiRoutes.declare(api.routes(UiRoutes.class));
    return api;
  }

  /** The route groups of a running server; {@code router} is what {@link DocsRoutes} documents. */
  static List<RouteGroup> groups(ServerContext s, ApiRouter router) {
    Security security = s.security();
    return List.of(
        new StatusRoutes(s.turns(), s.sessions(), s.approvals(), security.auth().mode()),
        new SessionRoutes(
            s.sessions(), s.events(), s.extensions(), s.approvals(), security.workspaces()),
        new SessionTransferRoutes(s.sessions(), s.approvals(), security.workspaces()),
        new TurnRoutes(s.sessions(), s.events(), s.turns(), security.streams(), s.telemetry()),
        new ApprovalRoutes(s.sessions(), s.approvals()),
        new ExtensionRoutes(s.extensions()),
        new AuditRoutes(s.audit()),
        new AcpRoutes(s.acp()),
        new MetricsRoutes(s.telemetry()),
        new DocsRoutes(router),
        new UiRoutes(security.auth().mode()));
  }
}

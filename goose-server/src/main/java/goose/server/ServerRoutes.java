package goose.server;

import goose.server.acp.AcpRoutes;
import goose.server.api.ApiRouter;
import goose.server.api.RouteGroup;
import goose.server.approval.ApprovalRoutes;
import goose.server.audit.AuditRoutes;
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
 * Every route group of the server, in the order the OpenAPI document lists them. A new resource is
 * one new {@link RouteGroup} class added here.
 */
final class ServerRoutes {
  private ServerRoutes() {}

  static List<RouteGroup> groups() {
    return List.of(
        new StatusRoutes(),
        new SessionRoutes(),
        new SessionTransferRoutes(),
        new TurnRoutes(),
        new ApprovalRoutes(),
        new ExtensionRoutes(),
        new AuditRoutes(),
        new AcpRoutes(),
        new MetricsRoutes(),
        new DocsRoutes(),
        new UiRoutes());
  }

  static ApiRouter router() {
    return ApiRouter.of(groups());
  }
}

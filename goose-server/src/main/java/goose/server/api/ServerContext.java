package goose.server.api;

import goose.acp.http.AcpConnections;
import goose.agent.TurnService;
import goose.approval.Approvals;
import goose.approval.AuditLog;
import goose.config.Config;
import goose.event.EventLog;
import goose.extension.ExtensionManager;
import goose.sandbox.Sandbox;
import goose.server.auth.Security;
import goose.server.telemetry.Telemetry;
import goose.session.SessionStore;
import java.util.Objects;

/**
 * The server's services, built once per server start. New services are added here as components.
 * Handlers never see it whole: {@code goose.server.ServerRoutes} gives each {@link RouteGroup} the
 * services it uses, as constructor parameters.
 */
public record ServerContext(
    Config config,
    ServerSettings settings,
    SessionStore sessions,
    EventLog events,
    TurnService turns,
    ExtensionManager extensions,
    Security security,
    Approvals approvals,
    AuditLog audit,
    Telemetry telemetry,
    Sandbox sandbox,
    AcpConnections acp) {
  public ServerContext {
    Objects.requireNonNull(config);
    Objects.requireNonNull(settings);
    Objects.requireNonNull(sessions);
    Objects.requireNonNull(events);
    Objects.requireNonNull(turns);
    Objects.requireNonNull(extensions);
    Objects.requireNonNull(security);
    Objects.requireNonNull(approvals);
    Objects.requireNonNull(audit);
    Objects.requireNonNull(telemetry);
    Objects.requireNonNull(sandbox);
    Objects.requireNonNull(acp);
  }
}

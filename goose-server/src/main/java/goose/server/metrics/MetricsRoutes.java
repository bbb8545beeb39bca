package goose.server.metrics;

import goose.server.api.Access;
import goose.server.api.ApiRouter;
import goose.server.api.RouteGroup;
import goose.server.http.ApiException;
import goose.server.http.ErrorCode;
import goose.server.telemetry.Telemetry;
import goose.server.telemetry.TelemetrySettings;

/**
 * {@code GET /metrics}: Prometheus text format. Served on the API port behind the same
 * authentication as every other route (a scraper sends credentials like any client), so metrics
 * never need a port or a network policy of their own. Admins only: the figures cover every user's
 * activity. 404 when {@code GOOSE_DISABLE_TELEMETRY=true}.
 */
public final class MetricsRoutes implements RouteGroup {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Telemetry telemetry;

  public MetricsRoutes(Telemetry telemetry) {
    this.telemetry = telemetry;
  }

  public static void declare(ApiRouter.Routes<MetricsRoutes> api) {
    api.get("/metrics", "getMetrics")
        .tag("status")
        .summary("Metrics in Prometheus text format")
        .description(
            """
            Turns started and completed (by stop reason), turn duration, time to first token, tokens in and out, \
            tool calls by extension and outcome, provider errors by kind and status, open event streams, stored \
            sessions, running turns, HTTP requests by route, and JVM metrics. For admins: the figures cover every \
            user. 404 when telemetry is turned off (GOOSE_DISABLE_TELEMETRY=true).""")
        .access(Access.ADMIN)
        .response(
            200,
            "Every metric, Prometheus text exposition format 0.0.4",
            "text/plain",
            String.class)
        .error(403, "Not an admin")
        .error(404, "Telemetry is turned off")
        .handle(
            (group, ctx) -> {
              Telemetry telemetry = group.telemetry;
              if (!telemetry.metricsEnabled()) {
                throw new ApiException(
                    ErrorCode.NOT_FOUND,
                    "metrics are off: " + TelemetrySettings.DISABLE + " is set");
              }
              ctx.contentType(PROMETHEUS_TEXT).result(telemetry.scrape());
            });
  }
}

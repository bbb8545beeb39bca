package goose.server;

import goose.server.auth.AllowedHosts;
import goose.server.http.ApiError;
import goose.server.http.ErrorCode;
import goose.server.http.JettyJsonErrors;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The {@link AllowedHosts} check as a Jetty handler in front of Javalin, so it holds for every
 * request the server accepts: routes, static files, unmatched paths, and WebSocket upgrades (which
 * Javalin's HTTP before-filters never see). A request whose {@code Host} is not one of the server's
 * names gets {@code 421} with the API's JSON error and reaches nothing else.
 */
final class HostGate extends Handler.Wrapper {
  private final AllowedHosts hosts;

  HostGate(AllowedHosts hosts) {
    this.hosts = hosts;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Optional<String> refusal =
        hosts.refusal(request.getHeaders().get(HttpHeader.HOST), Request.getLocalPort(request));
    if (refusal.isEmpty()) return super.handle(request, response, callback);
    JettyJsonErrors.writeJson(
        response,
        ErrorCode.MISDIRECTED_REQUEST.status(),
        ApiError.of(ErrorCode.MISDIRECTED_REQUEST, refusal.get()),
        callback);
    return true;
  }
}

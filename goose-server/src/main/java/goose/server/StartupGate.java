package goose.server;

import goose.server.api.ServerContext;
import goose.server.http.ApiError;
import goose.server.http.ErrorCode;
import goose.server.http.JettyJsonErrors;
import goose.server.http.RequestIds;
import goose.server.status.StatusRoutes;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Lets the server listen before its services are open: {@link GooseServer} binds once the
 * configuration and security are read, while the store, instance registry, extensions and agent
 * open on a virtual thread ({@link #opening}). Until they are open, a {@code GET /status} or {@code
 * GET /health} (same-origin: no {@code Origin} header) is answered here with the route's own body,
 * and every other request (routes, static files, unmatched paths, WebSocket upgrades) waits here,
 * then goes on to Javalin as usual. If the services fail to open, the waiting requests get 503 and
 * the start fails with the open's own error. A Jetty handler behind {@link HostGate}, so the Host
 * check holds for the early answers too; once open it is one volatile read per request.
 */
final class StartupGate extends Handler.Wrapper {
  /** The open services, and the handlers of the API's routes bound to them. */
  record Opened(ServerContext context, List<io.javalin.http.Handler> routes) {}

  private final CompletableFuture<Opened> opened;
  private final AtomicInteger waiting = new AtomicInteger();

  private StartupGate(CompletableFuture<Opened> opened) {
    this.opened = opened;
  }

  /** Starts opening the services on a virtual thread and returns at once. */
  static StartupGate opening(Supplier<Opened> services) {
    return new StartupGate(
        CompletableFuture.supplyAsync(services, Thread.ofVirtual().name("goose-open")::start));
  }

  /**
   * Waits for the services; throws the open's own exception (a {@link goose.config.ConfigException}
   * stays one) when it failed.
   */
  Opened await() {
    try {
      return opened.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) throw r;
      if (cause instanceof Error err) throw err;
      throw e;
    }
  }

  /**
   * The open services; only for code behind the gate (a request that got past it, the server after
   * {@link #await}).
   *
   * @throws IllegalStateException before they are open
   */
  Opened services() {
    Opened open = opened.getNow(null);
    if (open == null) throw new IllegalStateException("the server's services are not open yet");
    return open;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!opened.isDone() && isLivenessProbe(request)) {
      response
          .getHeaders()
          .put(RequestIds.HEADER, RequestIds.idFor(request.getHeaders().get(RequestIds.HEADER)));
      JettyJsonErrors.writeJson(response, 200, StatusRoutes.UP, callback);
      return true;
    }
    if (!opened.isDone()) waiting.incrementAndGet();
    try {
      // Once open, a volatile read; before, a wait on a virtual thread (HttpApp: Javalin's).
      opened.join();
    } catch (CompletionException | CancellationException e) {
      ApiError error =
          ApiError.of(ErrorCode.SERVICE_UNAVAILABLE, "the server failed to start; see its log");
      JettyJsonErrors.writeJson(response, 503, error, callback);
      return true;
    }
    return super.handle(request, response, callback);
  }

  /** How many requests came while the services were opening (tests, to know one waits). */
  int waitedFor() {
    return waiting.get();
  }

  /**
   * {@code GET /status} or {@code /health} without an {@code Origin}: the answer needs no service
   * and no CORS header (a cross-origin probe waits and gets the full answer).
   */
  private static boolean isLivenessProbe(Request request) {
    if (!HttpMethod.GET.is(request.getMethod())) return false;
    if (request.getHeaders().contains(HttpHeader.ORIGIN)) return false;
    String path = Request.getPathInContext(request);
    return path.equals("/status") || path.equals("/health");
  }
}

package goose.server;

import goose.json.Json;
import goose.server.acp.AcpWebSocket;
import goose.server.api.ApiRouter;
import goose.server.api.ServerSettings;
import goose.server.auth.Security;
import goose.server.http.ErrorMapping;
import goose.server.http.JettyJsonErrors;
import goose.server.http.RequestIds;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the Javalin application: virtual threads, our JSON mapper, request ids, access log, the
 * error mapping, host checks, CORS and authentication ({@link AuthFilter}), and the declared
 * routes; TCP or a Unix socket ({@link UnixSocket}), idle and header timeouts ({@link
 * ConnectionTimeouts}). Graceful stop: Jetty's {@link GracefulHandler} lets in-flight requests
 * finish (new ones get 503) for up to {@link #STOP_TIMEOUT_MS}, then connections are closed.
 */
final class HttpApp {
  static final long STOP_TIMEOUT_MS = 5_000;
  private static final Logger access = LoggerFactory.getLogger("goose.server.access");
  private static final String STARTED_AT = "goose.started";

  private HttpApp() {}

  /**
   * The application, before the services are open: what it needs from them ({@code gate}'s) it
   * takes at each request, which {@link StartupGate} lets through only once they are.
   */
  static Javalin create(
      ServerSettings settings, Security security, StartupGate gate, ApiRouter router) {
    return Javalin.create(
        cfg -> {
          cfg.concurrency.useVirtualThreads = true;
          cfg.jetty.threadPool = threadPool();
          cfg.startup.showJavalinBanner = false;
          cfg.startup.showOldJavalinVersionWarning = false;
          cfg.jsonMapper(new JavalinJackson(Json.MAPPER, true));
          cfg.http.maxRequestSize = settings.maxBodyBytes();
          cfg.http.prefer405over404 = true;
          cfg.jetty.host = settings.host();
          cfg.jetty.port = settings.port();
          settings.unixSocket().ifPresent(path -> UnixSocket.listenOn(cfg, path));
          cfg.jetty.modifyServer(AcceptBacklog::apply);
          cfg.jetty.modifyServer(
              jetty -> ConnectionTimeouts.apply(jetty, settings.headerTimeout()));
          cfg.jetty.modifyServer(
              jetty -> {
                jetty.setStopTimeout(STOP_TIMEOUT_MS);
                jetty.setErrorHandler(new JettyJsonErrors());
                GracefulHandler graceful = new GracefulHandler();
                // While stopping, a connection silent this long is cut (a stalled upload must not
                // hold the stop): GOOSE_SHUTDOWN_IDLE_MS.
                graceful.setShutdownIdleTimeout(settings.shutdownIdle().toMillis());
                // Javalin puts its own handler inside the innermost wrapper: behind the Host check
                // and the start-up gate.
                HostGate hosts = new HostGate(security.allowedHosts());
                hosts.setHandler(gate);
                graceful.setHandler(hosts);
                jetty.setHandler(graceful);
              });
          cfg.routes.before(
              ctx -> {
                ctx.attribute(STARTED_AT, System.nanoTime());
                RequestIds.begin(ctx);
                ctx.header("X-Content-Type-Options", "nosniff");
                // API answers hold a user's data: no cache keeps them. The routes that may be
                // cached say so themselves (the web UI's and the docs' files, revalidated or
                // kept a day), and event streams set their own (no-cache, no-transform).
                ctx.header("Cache-Control", "no-store");
              });
          cfg.routes.after(
              ctx -> {
                Long started = ctx.attribute(STARTED_AT);
                long nanos = started == null ? 0 : System.nanoTime() - started;
                long ms = nanos / 1_000_000;
                gate.services()
                    .context()
                    .telemetry()
                    .request(ctx.method().name(), route(ctx), ctx.statusCode(), nanos);
                if (ctx.path().equals("/status")) {
                  access.debug("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), ms);
                } else {
                  access.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), ms);
                }
                RequestIds.end();
              });
          ErrorMapping.install(cfg);
          new AuthFilter(security).install(cfg);
          router.install(cfg.routes, () -> gate.services().routes(), settings.maxBodyBytes());
          AcpWebSocket.install(
              cfg.routes, () -> gate.services().context().acp(), security, settings.maxBodyBytes());
        });
  }

  /**
   * Jetty's own pool of virtual threads, one per task, as many as there are tasks (no cap: an open
   * event stream holds one, and no user may exhaust a shared pool). Javalin's default for virtual
   * threads is a bare {@code ThreadPool} that Jetty cannot ask to try a task nor for its
   * virtual-thread executor; for those, Jetty's {@code ThreadPool.executeImmediately} (the answer
   * to every request its parser rejects: 400, 413, 414, 431) starts a new platform thread, one per
   * rejected request. This pool runs them on virtual threads too.
   */
  private static VirtualThreadPool threadPool() {
    VirtualThreadPool pool = new VirtualThreadPool(0);
    pool.setName("goose-http");
    return pool;
  }

  /**
   * The route template that served the request ({@code /sessions/{id}}), or "unmatched" for a 404
   * or 405.
   */
  private static String route(io.javalin.http.Context ctx) {
    io.javalin.router.Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
    return endpoint == null ? "unmatched" : endpoint.path;
  }
}

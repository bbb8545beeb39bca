package goose.server;

import goose.config.Config;
import goose.config.ConfigException;
import goose.error.ErrorMessages;
import goose.server.api.BuildInfo;
import goose.server.api.ServerContext;
import goose.server.api.ServerSettings;
import goose.server.logging.LogSetup;
import goose.server.openapi.OpenApiDocument;
import goose.server.telemetry.Telemetry;
import goose.server.telemetry.TelemetrySettings;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running HTTP server. {@code goose server} and {@code bin/goosed} call {@link #start}; tests
 * start one on port 0 (random) and read {@link #port()}. A JVM shutdown hook (SIGTERM, Ctrl-C)
 * closes it gracefully: in-flight requests get a few seconds to finish, then connections are cut.
 */
public final class GooseServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GooseServer.class);

  private final Javalin app;
  private final ServerContext context;
  private final String host;
  private final int port;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Thread shutdownHook;

  private GooseServer(Javalin app, ServerContext context) {
    this.app = app;
    this.context = context;
    this.host = context.settings().host();
    this.port = app.port();
    this.shutdownHook = Thread.ofPlatform().name("goose-shutdown").unstarted(this::close);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts serving with this configuration; throws {@link goose.config.ConfigException} on bad
   * settings.
   */
  public static GooseServer start(Config config) {
    TelemetrySettings telemetry = TelemetrySettings.from(config);
    return start(config, () -> Telemetry.open(telemetry, BuildInfo.version()));
  }

  /** With telemetry made by the caller (tests: spans to an in-memory exporter). */
  static GooseServer start(Config config, Supplier<Telemetry> telemetry) {
    ServerSettings settings = ServerSettings.from(config);
    Path logFile = LogSetup.configure(config);
    ServerContext context = Services.open(config, settings, telemetry.get());
    try {
      GooseServer server = start(context);
      log.info(
          "goosed {} listening on {} ({} ms after JVM start; log file {})",
          BuildInfo.version(),
          server.uri(),
          ManagementFactory.getRuntimeMXBean().getUptime(),
          logFile);
      return server;
    } catch (RuntimeException e) {
      Services.close(context);
      throw e;
    }
  }

  private static GooseServer start(ServerContext context) {
    Javalin app = HttpApp.create(context, ServerRoutes.router());
    try {
      app.start();
    } catch (JavalinBindException e) {
      ServerSettings s = context.settings();
      throw new ConfigException(
          "cannot listen on "
              + s.host()
              + ":"
              + s.port()
              + " ("
              + rootMessage(e)
              + "); set GOOSE_HOST / GOOSE_PORT to a free address");
    }
    return new GooseServer(app, context);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    return ErrorMessages.of(root);
  }

  public int port() {
    return port;
  }

  public URI uri() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + shown + ":" + port);
  }

  /** The services of this server (tests use it to break the store on purpose). */
  ServerContext context() {
    return context;
  }

  /** Every route Javalin serves, as "METHOD /path" (for the test that each one is documented). */
  java.util.List<String> javalinRoutes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(p -> p.endpoint.method.isHttpMethod())
        .map(p -> p.endpoint.method.name() + " " + p.endpoint.path)
        .toList();
  }

  /**
   * Requests being handled right now (the graceful-stop test waits for its request to be in
   * flight).
   */
  long requestsInFlight() {
    GracefulHandler graceful = app.jettyServer().server().getDescendant(GracefulHandler.class);
    return graceful == null ? 0 : graceful.getCurrentRequestCount();
  }

  /** Blocks until the server has stopped (SIGTERM, {@link #close()}). */
  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  /**
   * Graceful stop: in-flight requests finish or are cut cleanly within a few seconds. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitQuietly();
      return;
    }
    try {
      if (Thread.currentThread() != shutdownHook)
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The JVM is exiting; the hook is what called us or will find us closed.
    }
    log.info("stopping: letting in-flight requests finish (up to {} ms)", HttpApp.STOP_TIMEOUT_MS);
    try {
      Services.beginShutdown(context);
      app.stop();
    } finally {
      try {
        Services.close(context);
      } finally {
        log.info("stopped");
        stopped.countDown();
      }
    }
  }

  private void awaitQuietly() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The OpenAPI 3.1 document this server serves at /openapi.json, pretty-printed. */
  public static String openApiJson() {
    return OpenApiDocument.toJson(
        OpenApiDocument.build(ServerRoutes.router().operations(), BuildInfo.version()));
  }
}

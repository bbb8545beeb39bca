package goose.server;

import goose.config.Config;
import goose.config.ConfigException;
import goose.config.UnknownSettings;
import goose.error.Causes;
import goose.error.ErrorMessages;
import goose.provider.configured.Providers;
import goose.server.api.ApiRouter;
import goose.server.api.BuildInfo;
import goose.server.api.ServerContext;
import goose.server.api.ServerSettings;
import goose.server.auth.Security;
import goose.server.logging.LogSetup;
import goose.server.openapi.OpenApiDocument;
import goose.server.telemetry.Telemetry;
import goose.server.telemetry.TelemetrySettings;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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
  private final Optional<Path> unixSocket;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Thread shutdownHook;

  private GooseServer(Javalin app, ServerContext context) {
    this.app = app;
    this.context = context;
    this.host = context.settings().host();
    this.unixSocket = context.settings().unixSocket();
    this.port = unixSocket.isPresent() ? -1 : app.port();
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

  /**
   * With telemetry made by the caller (tests: spans to an in-memory exporter). The server listens
   * as soon as the configuration and security are read, and answers {@code /status} while its
   * services (telemetry, store, instance registry, extensions, agent) open on a virtual thread;
   * other requests wait for them ({@link StartupGate}). Returns once they are open; throws the
   * open's own error (having stopped listening) when they fail.
   */
  static GooseServer start(Config config, Supplier<Telemetry> telemetry) {
    return start(config, telemetry, gate -> {});
  }

  /** Tests: {@code listening} sees the gate once the server listens (before its services open). */
  static GooseServer start(
      Config config, Supplier<Telemetry> telemetry, Consumer<StartupGate> listening) {
    ServerSettings settings = ServerSettings.from(config);
    Path logFile = LogSetup.configure(config);
    UnknownSettings.warnings(config).forEach(log::warn);
    Providers.startWarning(config).ifPresent(log::warn);
    Security security = Services.openSecurity(config, settings);
    ApiRouter router = ServerRoutes.router();
    StartupGate gate =
        StartupGate.opening(
            () -> {
              ServerContext context = Services.open(config, settings, telemetry, security);
              try {
                return new StartupGate.Opened(
                    context, router.bind(ServerRoutes.groups(context, router)));
              } catch (RuntimeException e) {
                Services.close(context);
                throw e;
              }
            });
    Javalin app;
    try {
      app = listen(HttpApp.create(settings, security, gate, router), settings);
    } catch (RuntimeException listenFailed) {
      // The services' error comes first, as when they opened before the server listened: a second
      // server on a SQLite store is told about the store's lock, not about the port.
      Services.close(gate.await().context());
      throw listenFailed;
    }
    listening.accept(gate);
    ServerContext context;
    try {
      context = gate.await().context();
    } catch (RuntimeException | Error e) {
      stopQuietly(app);
      throw e;
    }
    GooseServer server = new GooseServer(app, context);
    log.info(
        "goosed {} listening on {} ({}; {} ms after JVM start; log file {})",
        BuildInfo.version(),
        server.uri(),
        StartupSummary.of(context),
        ManagementFactory.getRuntimeMXBean().getUptime(),
        logFile);
    return server;
  }

  /** Binds and starts serving; throws {@link ConfigException} when the address is taken. */
  private static Javalin listen(Javalin app, ServerSettings s) {
    Runnable restoreLogging = LogSetup.withoutJavalinStartFailure();
    try {
      app.start();
    } catch (JavalinBindException e) {
      throw new ConfigException(
          "cannot listen on "
              + s.host()
              + ":"
              + s.port()
              + " ("
              + rootMessage(e)
              + "); set GOOSE_HOST / GOOSE_PORT to a free address");
    } catch (RuntimeException e) {
      if (s.unixSocket().isEmpty()) throw e;
      stopQuietly(app);
      throw new ConfigException(
          "cannot listen on the Unix socket " + s.unixSocket().get() + " (" + rootMessage(e) + ")",
          e);
    } finally {
      restoreLogging.run();
    }
    try {
      s.unixSocket().ifPresent(UnixSocket::restrict);
    } catch (RuntimeException e) {
      stopQuietly(app);
      throw e;
    }
    return app;
  }

  /** Stops a server whose start failed; the start's own error is the one worth reporting. */
  private static void stopQuietly(Javalin app) {
    try {
      app.stop();
    } catch (RuntimeException e) {
      log.debug("stopping after a failed start: {}", e.toString());
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    return ErrorMessages.of(root);
  }

  /** The TCP port; -1 when the server listens on a Unix socket. */
  public int port() {
    return port;
  }

  /** Where clients reach the server: its TCP address, or the Unix socket as a {@code unix:} URI. */
  public URI uri() {
    if (unixSocket.isPresent()) return URI.create("unix:" + unixSocket.get());
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + shown + ":" + port);
  }

  /** The Unix socket the server listens on ({@code GOOSE_UNIX_SOCKET}), if it does. */
  public Optional<Path> unixSocket() {
    return unixSocket;
  }

  /** The extensions of this server ({@code --with-builtin} turns built-ins on through them). */
  public goose.extension.ExtensionManager extensions() {
    return context.extensions();
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
      stopHttp(app);
    } finally {
      try {
        Services.close(context);
      } finally {
        log.info("stopped");
        stopped.countDown();
      }
    }
  }

  /**
   * Stops Jetty. When in-flight requests outlast the stop timeout (a stalled upload on a loaded
   * machine), Jetty still closes every connector and connection and then reports the timeout: the
   * server is stopped all the same, which is what a stop is for, so that is a warning, not a
   * failure of {@link #close}.
   */
  private static void stopHttp(Javalin app) {
    try {
      app.stop();
    } catch (RuntimeException e) {
      if (!Causes.include(e, TimeoutException.class)) throw e;
      log.warn(
          "in-flight requests did not finish within {} ms; their connections were cut",
          HttpApp.STOP_TIMEOUT_MS);
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

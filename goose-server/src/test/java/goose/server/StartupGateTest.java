package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import goose.config.Config;
import goose.config.ConfigException;
import goose.server.api.BuildInfo;
import goose.server.telemetry.Telemetry;
import goose.server.telemetry.TelemetrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server listens before its services are open ({@link StartupGate}): {@code /status} answers at
 * once, every other request waits and then gets the answer it would get after the start, and a
 * failed open answers the waiting requests 503 and fails the start with the open's own error. The
 * open is held with the test's telemetry supplier, which runs on the opening thread.
 */
class StartupGateTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path root;

  @Test
  void answersStatusWhileOpeningAndOtherRequestsOnceOpen() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Config config = configOnFreePort();
    CompletableFuture<StartupGate> listening = new CompletableFuture<>();
    CompletableFuture<GooseServer> started =
        startAsync(
            config,
            held(release, () -> Telemetry.open(TelemetrySettings.from(config), "t")),
            listening);
    ApiClient client = new ApiClient(uriOf(config));
    try {
      ApiClient.Response status = awaitStatus(client);
      StartupGate gate = listening.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(status.json().path("status").asText()).isEqualTo("ok");
      assertThat(status.json().path("version").asText()).isEqualTo(BuildInfo.version());
      assertThat(status.header("Content-Type")).startsWith("application/json");
      assertThat(client.get("/health").status()).isEqualTo(200);
      assertThat(started).isNotDone();

      CompletableFuture<ApiClient.Response> created =
          inThread(() -> client.post("/sessions", "{\"cwd\":\"" + root + "\",\"name\":\"early\"}"));
      CompletableFuture<ApiClient.Response> unmatched =
          inThread(() -> client.get("/no-such-route"));
      await().atMost(WAIT).until(() -> gate.waitedFor() == 2); // both wait at the gate
      assertThat(started).isNotDone();
      assertThat(created).isNotDone();
      release.countDown();

      ApiClient.Response session = created.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(session.status()).as(session.body()).isEqualTo(201);
      assertThat(unmatched.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(404);
      try (GooseServer server = started.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        assertThat(server.uri()).isEqualTo(client.base());
        String id = session.json().get("id").asText();
        assertThat(client.get("/sessions/" + id).json().path("name").asText()).isEqualTo("early");
        assertThat(client.get("/status").body()).isEqualTo(status.body());
      }
    } finally {
      release.countDown();
    }
  }

  @Test
  void aFailedOpenAnswersWaitingRequests503AndFailsTheStartWithItsError() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Config config = configOnFreePort();
    ConfigException failure = new ConfigException("GOOSE_TEST: the store cannot be opened");
    CompletableFuture<StartupGate> listening = new CompletableFuture<>();
    CompletableFuture<GooseServer> started =
        startAsync(
            config,
            held(
                release,
                () -> {
                  throw failure;
                }),
            listening);
    ApiClient client = new ApiClient(uriOf(config));
    awaitStatus(client);
    StartupGate gate = listening.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    CompletableFuture<ApiClient.Response> waiting = inThread(() -> client.get("/sessions"));
    await().atMost(WAIT).until(() -> gate.waitedFor() == 1);
    release.countDown();

    ApiClient.Response refused = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(refused.error(503, "service_unavailable")).contains("failed to start");
    assertThatThrownBy(() -> started.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(failure);
    // No longer listening: a connection is refused. (Binding the port again is no test of that:
    // the closed connections' sockets, or another process's outgoing connection, may hold it.)
    assertThatThrownBy(() -> new Socket("127.0.0.1", uriOf(config).getPort()).close())
        .isInstanceOf(ConnectException.class);
  }

  /** On a thread of its own (the common pool may have a single thread on 2 CPUs). */
  private static <T> CompletableFuture<T> inThread(Supplier<T> request) {
    return CompletableFuture.supplyAsync(request, Thread.ofVirtual()::start);
  }

  private static CompletableFuture<GooseServer> startAsync(
      Config config, Supplier<Telemetry> telemetry, CompletableFuture<StartupGate> listening) {
    return inThread(() -> GooseServer.start(config, telemetry, listening::complete));
  }

  /** The telemetry supplier, which runs first on the opening thread, held until {@code release}. */
  private static Supplier<Telemetry> held(CountDownLatch release, Supplier<Telemetry> then) {
    return () -> {
      try {
        if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS))
          throw new IllegalStateException("the test never released the open");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return then.get();
    };
  }

  private static ApiClient.Response awaitStatus(ApiClient client) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(() -> client.get("/status"), r -> r.status() == 200);
  }

  /** A port the test picked (the server's must be known before its start returns). */
  private Config configOnFreePort() {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return TestServer.config(root, Map.of("GOOSE_PORT", String.valueOf(port)));
  }

  private static URI uriOf(Config config) {
    return URI.create("http://127.0.0.1:" + config.get("GOOSE_PORT").orElseThrow());
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import goose.config.ConfigKey;
import goose.conversation.Message;
import goose.json.Json;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.testing.ChildJvm;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Restart, concurrency and graceful shutdown, each against a real server and SQLite file. */
class ServerLifecycleTest {
  @TempDir Path root;
  @TempDir Path workDir;

  @Test
  void sessionsAndMessagesSurviveARestart() {
    String id;
    Message message = Message.user("remember me");
    try (TestServer first = TestServer.start(root)) {
      id = first.client.post("/sessions", createBody("survivor")).json().path("id").asText();
      try (SessionStore store = SessionStores.open(first.config)) {
        store.appendMessage(id, message);
      }
    }
    try (TestServer second = TestServer.start(root)) {
      JsonNode session = second.client.get("/sessions/" + id).json();
      assertThat(session.path("name").asText()).isEqualTo("survivor");
      assertThat(session.path("message_count").asLong()).isEqualTo(1);
      assertThat(session.path("messages").get(0).path("id").asText()).isEqualTo(message.id());
      assertThat(session.path("messages").get(0).path("content").get(0).path("text").asText())
          .isEqualTo("remember me");
      assertThat(second.client.get("/sessions?q=survivor").json().path("sessions")).hasSize(1);
    }
  }

  @Test
  @Timeout(120)
  void hundredConcurrentCreatesAreAllKept() throws Exception {
    try (TestServer server = TestServer.start(root);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ApiClient.Response>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String name = "concurrent " + i;
        futures.add(pool.submit(() -> server.client.post("/sessions", createBody(name))));
      }
      Set<String> ids = new HashSet<>();
      for (Future<ApiClient.Response> f : futures) {
        ApiClient.Response r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        ids.add(r.json().path("id").asText());
      }
      assertThat(ids).hasSize(100);
      Set<String> listed = new HashSet<>();
      server
          .client
          .get("/sessions?limit=500&q=concurrent")
          .json()
          .path("sessions")
          .forEach(s -> listed.add(s.path("id").asText()));
      assertThat(listed).isEqualTo(ids);
    }
  }

  @Test
  @Timeout(60)
  void closeLetsAnInFlightRequestFinish() throws Exception {
    // The production window for a silent connection (tests otherwise use 1 ms).
    TestServer server =
        TestServer.start(
            root,
            Map.of(
                ConfigKey.SHUTDOWN_IDLE_MS.name(),
                ConfigKey.SHUTDOWN_IDLE_MS.defaultValue().orElseThrow()));
    byte[] body = createBody("in flight").getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.write(body, 0, 10); // the request is now being handled, waiting for the rest of its body
      out.flush();
      awaitInFlight(server);
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      // A fixed pause on purpose: the close must still be waiting for the request after it, well
      // below the 2 s (the default GOOSE_SHUTDOWN_IDLE_MS) a silent connection is given while
      // stopping.
      Thread.sleep(200);
      assertThat(closing).as("close() waits for the in-flight request").isNotDone();
      out.write(body, 10, body.length - 10);
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 201").contains("\"name\":\"in flight\"");
      closing.get(20, TimeUnit.SECONDS);
    }
    try (TestServer again = TestServer.start(root)) {
      assertThat(again.client.get("/sessions?q=in%20flight").json().path("sessions")).hasSize(1);
    }
  }

  @Test
  @Timeout(60)
  void closeCutsAStalledRequestWithinAFewSeconds() throws Exception {
    assertThat(closeDuringAStalledUpload(TestServer.start(root)))
        .isLessThan(Duration.ofSeconds(15));
  }

  /**
   * A stall the shutdown's idle cut does not reach (a silent connection given a minute) outlasts
   * the stop timeout: Jetty then closes the connection anyway, and close() returns, with a warning,
   * as a stop that did its job (it used to throw Jetty's TimeoutException, which a loaded machine
   * could also reach in the test above).
   */
  @Test
  @Timeout(60)
  void aStallThatOutlastsTheStopTimeoutIsCutAndTheCloseSucceeds() throws Exception {
    TestServer server =
        TestServer.start(root.resolve("stall"), Map.of(ConfigKey.SHUTDOWN_IDLE_MS.name(), "60000"));
    assertThat(closeDuringAStalledUpload(server))
        .as("the stop waited for the request up to its timeout, then cut it")
        .isGreaterThanOrEqualTo(Duration.ofMillis(HttpApp.STOP_TIMEOUT_MS - 1_000))
        .isLessThan(Duration.ofSeconds(30));
  }

  /**
   * Starts a POST whose body never arrives, closes {@code server} while it is handled, and checks
   * that the connection was then closed without an error page: how long the close took.
   */
  private static Duration closeDuringAStalledUpload(TestServer server) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 1000\r\n\r\n{\"cwd\":")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      awaitInFlight(server);
      long started = System.nanoTime();
      server.close();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      byte[] rest = socket.getInputStream().readAllBytes(); // the connection is closed: no hang
      assertThat(new String(rest, StandardCharsets.UTF_8)).doesNotContain("Exception");
      return took;
    }
  }

  @Test
  @Timeout(150)
  void sigtermStopsTheServerProcessGracefully() throws Exception {
    // A JVM started like the tests' other servers (C1, the shared class archive once trained).
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(ServerMainForTests.class.getName()));
    pb.environment().put("GOOSE_PATH_ROOT", root.toString());
    pb.environment().put("GOOSE_PORT", "0");
    pb.environment().remove("GOOSE_LOG");
    pb.redirectErrorStream(true);
    pb.redirectOutput(root.resolve("out.txt").toFile());
    Process process = pb.start();
    try {
      Path portFile = root.resolve("port");
      await()
          // As ServerProcess waits: a server JVM took longer than 60 s to listen at load 38.
          .atMost(java.time.Duration.ofSeconds(90))
          .until(() -> Files.exists(portFile) || !process.isAlive());
      assertThat(process.isAlive()).as("the server runs (output in out.txt)").isTrue();
      int port = Integer.parseInt(Files.readString(portFile).trim());
      assertThat(
              new ApiClient(java.net.URI.create("http://127.0.0.1:" + port))
                  .get("/status")
                  .status())
          .isEqualTo(200);
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      String output = Files.readString(root.resolve("out.txt"));
      assertThat(output)
          .contains("listening on http://127.0.0.1:" + port)
          .contains("stopped")
          .doesNotContain("Exception");
      try (var logs = Files.list(root.resolve("state/logs"))) {
        Path log = logs.findFirst().orElseThrow();
        assertThat(Files.readString(log)).contains("listening on").contains("stopped");
      }
    } finally {
      process.destroyForcibly();
    }
  }

  private static void awaitInFlight(TestServer server) {
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> server.server.requestsInFlight() >= 1);
  }

  private String createBody(String name) {
    return "{\"cwd\": " + Json.write(workDir.toString()) + ", \"name\": " + Json.write(name) + "}";
  }
}

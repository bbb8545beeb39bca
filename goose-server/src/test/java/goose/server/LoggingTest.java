package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import goose.config.ConfigException;
import goose.json.Json;
import goose.server.logging.LogSetup;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.LoggerFactory;

/**
 * Logging as an operator sees it: the level filter, JSON lines, a file per start, request ids, no
 * secrets.
 */
// Reads the log of a server started in this JVM: logback is one per JVM, and every in-process
// server start resets it, so no other class runs beside this one.
@Isolated
class LoggingTest {
  @TempDir Path root;

  @Test
  void jsonLinesCarryTheRequestIdAndNeverTheAuthorizationHeader() throws IOException {
    try (TestServer server =
        TestServer.start(
            root, Map.of("GOOSE_LOG_FORMAT", "json", "GOOSE_LOG", "info,goose=debug"))) {
      server.client.send(
          "GET",
          "/sessions",
          HttpRequest.BodyPublishers.noBody(),
          null,
          "X-Request-Id",
          "req-42",
          "Authorization",
          "Bearer super-secret-token");
    }
    List<JsonNode> lines = logLines().stream().map(Json::parse).toList();
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("message").asText()).contains("GET /sessions 200");
              assertThat(l.path("request_id").asText()).isEqualTo("req-42");
              assertThat(l.path("level").asText()).isEqualTo("INFO");
            });
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l.path("message").asText()).contains("listening on http://127.0.0.1:"));
    assertThat(String.join("\n", logLines())).doesNotContain("super-secret-token");
  }

  @Test
  void theTurnsLogLinesCarryTheRequestIdOfTheMessageThatStartedIt() throws Exception {
    try (goose.provider.fake.FakeOpenAiServer openai = new goose.provider.fake.FakeOpenAiServer();
        TestServer server =
            TestServer.start(
                root,
                Map.of(
                    "GOOSE_LOG_FORMAT",
                    "json",
                    "GOOSE_PROVIDER",
                    "openai",
                    "OPENAI_HOST",
                    openai.baseUri().toString(),
                    "OPENAI_API_KEY",
                    "sk-test",
                    "max_retries",
                    "0"))) {
      String id =
          server
              .client
              .post("/sessions", "{\"cwd\":\"" + root + "\",\"name\":\"t\"}")
              .json()
              .get("id")
              .asText();
      openai.enqueue(goose.provider.fake.FakeOpenAiServer.serverError());
      try (SseClient sse =
          SseClient.post(
              server.server.uri(),
              "/sessions/" + id + "/messages",
              "{\"content\":\"hi\"}",
              "X-Request-Id",
              "req-turn-7")) {
        sse.untilComplete();
      }
    }
    List<JsonNode> lines = logLines().stream().map(Json::parse).toList();
    // Both lines are written on the turn's own thread, not the request's.
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("message").asText()).contains("provider openai failed");
              assertThat(l.path("thread_name").asText()).startsWith("turn-");
              assertThat(l.path("request_id").asText()).isEqualTo("req-turn-7");
            });
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("message").asText()).contains("ended: error");
              assertThat(l.path("request_id").asText()).isEqualTo("req-turn-7");
            });
  }

  @Test
  void theFilterHidesLevelsBelowIt() throws IOException {
    try (TestServer server = TestServer.start(root, Map.of("RUST_LOG", "warn"))) {
      server.client.get("/status");
    }
    assertThat(logLines()).noneMatch(l -> l.contains(" INFO "));
  }

  @Test
  void debugForOurPackagesShowsHealthChecks() throws IOException {
    try (TestServer server = TestServer.start(root, Map.of("GOOSE_LOG", "info,goose=debug"))) {
      server.client.get("/status");
    }
    assertThat(logLines())
        .anyMatch(l -> l.contains("DEBUG goose.server.access") && l.contains("GET /status 200"));
  }

  @Test
  void eachStartWritesItsOwnFile() throws Exception {
    try (TestServer first = TestServer.start(root)) {
      first.client.get("/status");
    }
    try (TestServer second = TestServer.start(root)) {
      second.client.get("/status");
    }
    try (Stream<Path> files = Files.list(root.resolve("state/logs"))) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".log"))).hasSize(2);
    }
  }

  @Test
  void theMcpSdkIsAtWarnUnlessTheFilterNamesIt() {
    LogSetup.configure(TestServer.config(root, Map.of("GOOSE_LOG", "debug")));
    assertThat(LoggerFactory.getLogger("io.modelcontextprotocol.client.McpClient").isInfoEnabled())
        .isFalse();
    assertThat(LoggerFactory.getLogger("goose.agent.Agent").isDebugEnabled()).isTrue();
    LogSetup.configure(
        TestServer.config(root, Map.of("GOOSE_LOG", "info,io::modelcontextprotocol=debug")));
    assertThat(LoggerFactory.getLogger("io.modelcontextprotocol.client.McpClient").isDebugEnabled())
        .isTrue();
  }

  @Test
  void theProviderHttpClientsHeadersAndWireAreNeverLoggedEvenWhenTheFilterNamesThem() {
    // At DEBUG they print each request's headers (x-api-key, Authorization) and body.
    LogSetup.configure(TestServer.config(root, Map.of("GOOSE_LOG", "debug,org::apache::hc=trace")));
    assertThat(LoggerFactory.getLogger("org.apache.hc.client5.http.headers").isErrorEnabled())
        .isFalse();
    assertThat(LoggerFactory.getLogger("org.apache.hc.client5.http.wire").isErrorEnabled())
        .isFalse();
    assertThat(
            LoggerFactory.getLogger("org.apache.hc.client5.http.impl.classic.InternalHttpClient")
                .isTraceEnabled())
        .isTrue();
    LogSetup.configure(TestServer.config(root, Map.of("GOOSE_LOG", "debug")));
    assertThat(
            LoggerFactory.getLogger("org.apache.hc.client5.http.impl.classic.InternalHttpClient")
                .isInfoEnabled())
        .isFalse();
  }

  @Test
  void onlyTheNewestThirtyLogFilesAreKept() throws IOException {
    Path logs = Files.createDirectories(root.resolve("state/logs"));
    for (int i = 0; i < 35; i++)
      Files.writeString(logs.resolve(String.format("server-20200101T0000%02dZ-1.log", i)), "old");
    Files.writeString(logs.resolve("notes.txt"), "not ours");
    try (TestServer server = TestServer.start(root)) {
      server.client.get("/status");
    }
    try (Stream<Path> files = Files.list(logs)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names)
          .hasSize(31)
          .contains("notes.txt", "server-20200101T000034Z-1.log")
          .doesNotContain("server-20200101T000005Z-1.log");
    }
  }

  @Test
  void aBadFilterOrFormatStopsTheStartNamingTheKey() {
    assertThatThrownBy(() -> TestServer.start(root, Map.of("GOOSE_LOG", "goose=loud")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GOOSE_LOG")
        .hasMessageContaining("loud");
    assertThatThrownBy(() -> TestServer.start(root, Map.of("GOOSE_LOG_FORMAT", "xml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GOOSE_LOG_FORMAT");
    assertThatThrownBy(() -> TestServer.start(root, Map.of("GOOSE_PORT", "abc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GOOSE_PORT");
  }

  @Test
  void aTakenPortStopsTheStartWithAOneLineError(@TempDir Path other) throws IOException {
    try (TestServer first = TestServer.start(root)) {
      String port = String.valueOf(first.server.port());
      long pollers = signalPollers();
      assertThatThrownBy(() -> TestServer.start(other, Map.of("GOOSE_PORT", port)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + port)
          .hasMessageContaining("GOOSE_PORT")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      // Javalin's own bare "Failed to start Javalin" ERROR line came before that one; it said less.
      assertThat(logLines(other)).noneMatch(l -> l.contains("Failed to start Javalin"));
      assertThat(first.client.get("/status").status()).isEqualTo(200);
      // The failed start's store signals stopped with it: they polled the closed store and logged
      // a warning after the error line.
      assertThat(signalPollers()).isEqualTo(pollers);
      assertThat(logLines(other)).noneMatch(l -> l.contains("signals between the processes"));
    }
  }

  private static long signalPollers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("goose-signals") && t.isAlive())
        .count();
  }

  private List<String> logLines() throws IOException {
    return logLines(root);
  }

  private static List<String> logLines(Path root) throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("state/logs"))) {
      Path newest = files.sorted().reduce((a, b) -> b).orElseThrow();
      return Files.readAllLines(newest).stream().filter(l -> !l.isBlank()).toList();
    }
  }
}

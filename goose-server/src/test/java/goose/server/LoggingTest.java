package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import goose.config.ConfigException;
import goose.json.Json;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logging as an operator sees it: the level filter, JSON lines, a file per start, request ids, no secrets. */
class LoggingTest {
  @TempDir Path root;

  @Test
  void jsonLinesCarryTheRequestIdAndNeverTheAuthorizationHeader() throws IOException {
    try (TestServer server = TestServer.start(root, Map.of("GOOSE_LOG_FORMAT", "json", "GOOSE_LOG", "info,goose=debug"))) {
      server.client.send("GET", "/sessions", HttpRequest.BodyPublishers.noBody(), null,
          "X-Request-Id", "req-42", "Authorization", "Bearer super-secret-token");
    }
    List<JsonNode> lines = logLines().stream().map(Json::parse).toList();
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.path("message").asText()).contains("GET /sessions 200");
      assertThat(l.path("request_id").asText()).isEqualTo("req-42");
      assertThat(l.path("level").asText()).isEqualTo("INFO");
    });
    assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).contains("listening on http://127.0.0.1:"));
    assertThat(String.join("\n", logLines())).doesNotContain("super-secret-token");
  }

  @Test
  void theTurnsLogLinesCarryTheRequestIdOfTheMessageThatStartedIt() throws Exception {
    try (goose.provider.fake.FakeOpenAiServer openai = new goose.provider.fake.FakeOpenAiServer();
        TestServer server = TestServer.start(root, Map.of("GOOSE_LOG_FORMAT", "json", "GOOSE_PROVIDER", "openai",
            "OPENAI_HOST", openai.baseUri().toString(), "OPENAI_API_KEY", "sk-test", "max_retries", "0"))) {
      String id = server.client.post("/sessions", "{\"cwd\":\"" + root + "\",\"name\":\"t\"}").json().get("id").asText();
      openai.enqueue(goose.provider.fake.FakeOpenAiServer.serverError());
      try (SseClient sse = SseClient.post(server.server.uri(), "/sessions/" + id + "/messages", "{\"content\":\"hi\"}",
          "X-Request-Id", "req-turn-7")) {
        sse.untilComplete();
      }
    }
    List<JsonNode> lines = logLines().stream().map(Json::parse).toList();
    // Both lines are written on the turn's own thread, not the request's.
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.path("message").asText()).contains("provider openai failed");
      assertThat(l.path("thread_name").asText()).startsWith("turn-");
      assertThat(l.path("request_id").asText()).isEqualTo("req-turn-7");
    });
    assertThat(lines).anySatisfy(l -> {
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
    assertThat(logLines()).anyMatch(l -> l.contains("DEBUG goose.server.access") && l.contains("GET /status 200"));
  }

  @Test
  void eachStartWritesItsOwnFile() throws Exception {
    try (TestServer first = TestServer.start(root)) {
      first.client.get("/status");
    }
    Thread.sleep(1100); // file names carry the start second
    try (TestServer second = TestServer.start(root)) {
      second.client.get("/status");
    }
    try (Stream<Path> files = Files.list(root.resolve("state/logs"))) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".log"))).hasSize(2);
    }
  }

  @Test
  void aBadFilterOrFormatStopsTheStartNamingTheKey() {
    assertThatThrownBy(() -> TestServer.start(root, Map.of("GOOSE_LOG", "goose=loud")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("GOOSE_LOG").hasMessageContaining("loud");
    assertThatThrownBy(() -> TestServer.start(root, Map.of("GOOSE_LOG_FORMAT", "xml")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("GOOSE_LOG_FORMAT");
    assertThatThrownBy(() -> TestServer.start(root, Map.of("GOOSE_PORT", "abc")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("GOOSE_PORT");
  }

  private List<String> logLines() throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("state/logs"))) {
      Path newest = files.sorted().reduce((a, b) -> b).orElseThrow();
      return Files.readAllLines(newest).stream().filter(l -> !l.isBlank()).toList();
    }
  }
}

package goose.cli.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.extension.TestServers;
import goose.json.Json;
import goose.provider.fake.FakeAnthropicServer;
import goose.provider.fake.RecordedRequest;
import goose.sandbox.ProcessTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mcpServers} of {@code session/new}: real MCP servers (the npm everything server, over
 * stdio and over Streamable HTTP) for that session only, under the server's allowlist, stopped when
 * the session is closed.
 */
class AcpSessionServersTest {
  @TempDir Path root;
  private AcpTestServer goosed;
  private FakeAnthropicServer anthropic;
  private Path cwd;

  private void start(Map<String, String> extra) throws Exception {
    goosed = AcpTestServer.start(root, extra);
    anthropic = goosed.anthropic;
    cwd = goosed.cwd;
  }

  @AfterEach
  void stop() {
    if (goosed != null) goosed.close();
  }

  private RawAcpSocket connect() throws Exception {
    return RawAcpSocket.open(goosed.ws(""), Map.of());
  }

  private ObjectNode newSession(ArrayNode servers) {
    ObjectNode p = Json.object().put("cwd", cwd.toString());
    p.set("mcpServers", servers);
    return p;
  }

  private static ArrayNode stdioEverything(String name) {
    ArrayNode servers = Json.MAPPER.createArrayNode();
    ObjectNode s = servers.addObject().put("name", name).put("command", "node");
    s.putArray("args").add(TestServers.everythingJs()).add("stdio");
    s.putArray("env").addObject().put("name", "ACP_TEST").put("value", "1");
    return servers;
  }

  private static ObjectNode prompt(String id, String text) {
    ObjectNode p = Json.object().put("sessionId", id);
    p.putArray("prompt").addObject().put("type", "text").put("text", text);
    return p;
  }

  private static List<String> toolsOffered(RecordedRequest request) {
    return request.json().path("tools").findValuesAsText("name");
  }

  private static boolean everythingRunning() {
    return ProcessHandle.current()
        .descendants()
        .anyMatch(p -> p.info().commandLine().orElse("").contains("server-everything"));
  }

  @Test
  void aSessionsOwnStdioServerServesThatSessionOnly() throws Exception {
    start(Map.of());
    anthropic.enqueue(
        FakeAnthropicServer.script()
            .toolUse("toolu_echo", "ev__echo", "{\"message\":\"hi from acp\"}")
            .build());
    anthropic.enqueue(FakeAnthropicServer.text("Echoed."));
    anthropic.enqueue(FakeAnthropicServer.text("No tools of yours here."));
    try (RawAcpSocket acp = connect()) {
      String mine =
          acp.call("session/new", newSession(stdioEverything("ev"))).get("sessionId").asText();
      assertThat(acp.call("session/prompt", prompt(mine, "echo it")).get("stopReason").asText())
          .isEqualTo("end_turn");
      assertThat(toolsOffered(anthropic.requests().getFirst()))
          .contains("ev__echo", "developer__shell");
      JsonNode done =
          acp.notifications.stream()
              .map(n -> n.at("/params/update"))
              .filter(u -> u.path("sessionUpdate").asText().equals("tool_call_update"))
              .findFirst()
              .orElseThrow();
      assertThat(done.get("status").asText()).isEqualTo("completed");
      assertThat(done.get("content").toString()).contains("hi from acp");

      String other =
          acp.call("session/new", newSession(Json.MAPPER.createArrayNode()))
              .get("sessionId")
              .asText();
      acp.call("session/prompt", prompt(other, "what tools?"));
      assertThat(toolsOffered(anthropic.lastRequest()))
          .doesNotContain("ev__echo")
          .contains("developer__shell");

      assertThat(everythingRunning()).isTrue();
      acp.call("session/close", Json.object().put("sessionId", mine));
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(
              () ->
                  assertThat(everythingRunning())
                      .as("the session's server stops with the session")
                      .isFalse());
    }
  }

  @Test
  void aSessionsOwnHttpServerConnects() throws Exception {
    start(Map.of());
    int port = TestServers.freePort();
    Process remote = TestServers.serveEverything("streamableHttp", port);
    try {
      anthropic.enqueue(FakeAnthropicServer.text("Seen."));
      try (RawAcpSocket acp = connect()) {
        ArrayNode servers = Json.MAPPER.createArrayNode();
        servers
            .addObject()
            .put("type", "http")
            .put("name", "remote")
            .put("url", "http://127.0.0.1:" + port + "/mcp")
            .putArray("headers")
            .addObject()
            .put("name", "X-Test")
            .put("value", "1");
        String id = acp.call("session/new", newSession(servers)).get("sessionId").asText();
        acp.call("session/prompt", prompt(id, "list"));
        assertThat(toolsOffered(anthropic.lastRequest()))
            .contains("remote__echo", "remote__get-sum");
      }
    } finally {
      ProcessTree.terminate(remote, Duration.ofSeconds(2));
    }
  }

  @Test
  void theAllowlistAndTheConfiguredNamesStillRule() throws Exception {
    Path list = root.resolve("allowlist.yaml");
    Files.writeString(list, "extensions:\n  - id: other\n    command: node /somewhere/else.js\n");
    start(Map.of("GOOSE_ALLOWLIST", list.toString()));
    try (RawAcpSocket acp = connect()) {
      JsonNode refused =
          acp.request("session/new", newSession(stdioEverything("ev"))).get(60, TimeUnit.SECONDS);
      assertThat(refused.at("/error/code").asInt()).isEqualTo(-32602);
      assertThat(refused.at("/error/data/code").asText()).isEqualTo("forbidden");
      assertThat(refused.at("/error/data/message").asText()).contains("allowlist");
      JsonNode clash =
          acp.request("session/new", newSession(stdioEverything("developer")))
              .get(60, TimeUnit.SECONDS);
      assertThat(clash.at("/error/code").asInt()).isEqualTo(-32602);
      assertThat(clash.at("/error/data/message").asText()).contains("already configured");
      assertThat(acp.call("session/list", Json.object()).get("sessions"))
          .as("a refused session/new leaves no session behind")
          .isEmpty();
    }
    assertThat(everythingRunning()).isFalse();
  }
}

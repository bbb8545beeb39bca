package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.extension.TestServers;
import goose.json.Json;
import goose.provider.fake.FakeOpenAiServer;
import goose.sandbox.ProcessTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extensions managed over HTTP at run time, and their tools called by the model end to end: real
 * MCP reference servers (stdio and Streamable HTTP), the agent, and the SSE stream.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExtensionRoutesTest {
  @TempDir Path root;
  FakeOpenAiServer openai;
  TestServer goosed;
  String sessionId;

  @BeforeEach
  void start() {
    openai = new FakeOpenAiServer();
    goosed = start(Map.of());
  }

  TestServer start(Map<String, String> extra) {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "GOOSE_PROVIDER",
                "openai",
                "OPENAI_HOST",
                openai.baseUri().toString(),
                "OPENAI_API_KEY",
                "k"));
    env.putAll(extra);
    TestServer server = TestServer.start(root, env);
    sessionId =
        server.client.post("/sessions", "{\"cwd\":\"" + root + "\"}").json().get("id").asText();
    return server;
  }

  @AfterEach
  void stop() {
    goosed.close();
    openai.close();
  }

  static String stdio(String name, String... args) {
    var node = Json.object().put("name", name).put("type", "stdio").put("cmd", "node");
    var list = node.putArray("args");
    for (String a : args) list.add(a);
    return Json.write(node);
  }

  List<SseClient.Event> turnCalling(String tool, String argumentsJson) throws Exception {
    openai.enqueueToolCall(tool, argumentsJson);
    try (SseClient sse =
        SseClient.post(
            goosed.server.uri(),
            "/sessions/" + sessionId + "/messages",
            "{\"content\":\"use the tool\"}")) {
      return sse.untilComplete();
    }
  }

  static JsonNode toolResult(List<SseClient.Event> events) {
    return events.stream()
        .filter(e -> e.name().equals("tool_result"))
        .findFirst()
        .orElseThrow()
        .data();
  }

  List<String> toolsOfferedInLastRequest() {
    List<String> names = new java.util.ArrayList<>();
    openai
        .lastRequest()
        .json()
        .path("tools")
        .forEach(t -> names.add(t.path("function").path("name").asText()));
    return names;
  }

  @Test
  void addAStdioServerAndCallItsToolThroughATurn() throws Exception {
    JsonNode added =
        goosed
            .client
            .post("/extensions", stdio("everything", TestServers.everythingJs(), "stdio"))
            .json();
    assertThat(added.get("enabled").asBoolean()).isTrue();
    assertThat(Files.readString(goosed.config.paths().configFile())).contains("everything");
    JsonNode tools = goosed.client.get("/extensions/everything/tools").json().get("tools");
    assertThat(tools.findValuesAsText("name")).contains("everything__echo");

    List<SseClient.Event> events = turnCalling("everything__echo", "{\"message\":\"hello mcp\"}");

    JsonNode result = toolResult(events);
    assertThat(result.get("status").asText()).isEqualTo("success");
    assertThat(result.get("result").get(0).get("text").asText()).isEqualTo("Echo: hello mcp");
    assertThat(openai.lastRequest().json().get("messages").toString()).contains("Echo: hello mcp");
    JsonNode listed = goosed.client.get("/extensions").json().get("extensions");
    JsonNode everything =
        java.util.stream.StreamSupport.stream(listed.spliterator(), false)
            .filter(e -> e.get("name").asText().equals("everything"))
            .findFirst()
            .orElseThrow();
    assertThat(everything.get("status").asText()).isEqualTo("running");
    assertThat(everything.get("tool_count").asInt()).isGreaterThan(3);
  }

  @Test
  void disableEnableAndDeleteTakeEffectForTheNextTurnWithoutARestart() throws Exception {
    goosed
        .client
        .post("/extensions", stdio("fs", TestServers.filesystemJs(), root.toString()))
        .json();
    Files.writeString(root.resolve("note.txt"), "filesystem server content");
    List<SseClient.Event> events =
        turnCalling("fs__read_text_file", "{\"path\":\"" + root.resolve("note.txt") + "\"}");
    assertThat(toolResult(events).get("result").toString()).contains("filesystem server content");

    goosed.client.post("/extensions/fs/disable", "{}").json();
    turnCalling("fs__read_text_file", "{\"path\":\"x\"}");
    assertThat(toolsOfferedInLastRequest()).noneMatch(n -> n.startsWith("fs__"));

    goosed.client.post("/extensions/fs/enable", "{}").json();
    openai.enqueue(FakeOpenAiServer.text("ok"));
    try (SseClient sse =
        SseClient.post(
            goosed.server.uri(),
            "/sessions/" + sessionId + "/messages",
            "{\"content\":\"again\"}")) {
      sse.untilComplete();
    }
    assertThat(toolsOfferedInLastRequest()).contains("fs__read_text_file");

    assertThat(goosed.client.delete("/extensions/fs").status()).isEqualTo(204);
    goosed.client.get("/extensions/fs/tools").error(404, "not_found");
    goosed.client.post("/extensions/fs/enable", "{}").error(404, "not_found");
    assertThat(Files.readString(goosed.config.paths().configFile())).doesNotContain("fs:");
  }

  @Test
  void streamableHttpServerToolsWorkThroughATurn() throws Exception {
    int port = TestServers.freePort();
    Process server = TestServers.serveEverything("streamableHttp", port);
    try {
      goosed
          .client
          .post(
              "/extensions",
              "{\"name\":\"web\",\"type\":\"streamable_http\",\"uri\":\"http://127.0.0.1:"
                  + port
                  + "/mcp\"}")
          .json();
      List<SseClient.Event> events = turnCalling("web__echo", "{\"message\":\"over http\"}");
      assertThat(toolResult(events).get("result").get(0).get("text").asText())
          .isEqualTo("Echo: over http");
    } finally {
      ProcessTree.terminate(server, Duration.ofSeconds(2));
    }
  }

  @Test
  void badConfigurationsAreRefusedNamingTheField() {
    assertThat(
            goosed
                .client
                .post("/extensions", "{\"name\":\"x\",\"type\":\"telepathy\"}")
                .error(400, "invalid_field"))
        .contains("type");
    assertThat(
            goosed
                .client
                .post(
                    "/extensions",
                    "{\"name\":\"x\",\"type\":\"stdio\",\"cmd\":\"node\",\"envs\":{\"LD_PRELOAD\":\"/tmp/evil.so\"}}")
                .error(400, "invalid_field"))
        .contains("LD_PRELOAD");
    assertThat(
            goosed
                .client
                .post("/extensions", "{\"name\":\"x\",\"type\":\"stdio\"}")
                .error(400, "invalid_field"))
        .contains("cmd");
    assertThat(goosed.client.post("/extensions", "{\"type\":\"stdio\",\"cmd\":\"node\"}").status())
        .isEqualTo(400);
    goosed.client.post("/extensions/nope/disable", "{}").error(404, "not_found");
    goosed.client.delete("/extensions/nope").error(404, "not_found");
  }

  @Test
  void theAllowlistAcceptsTheExactCommandOnly() throws Exception {
    goosed.close();
    Path allowlist = root.resolve("allowlist.yaml");
    Files.writeString(
        allowlist,
        "extensions:\n  - id: everything\n    command: node "
            + TestServers.everythingJs()
            + " stdio\n");
    goosed = start(Map.of("GOOSE_ALLOWLIST", allowlist.toString()));

    assertThat(
            goosed
                .client
                .post("/extensions", stdio("everything", TestServers.everythingJs(), "stdio"))
                .status())
        .isEqualTo(200);
    assertThat(
            goosed
                .client
                .post("/extensions", stdio("extra", TestServers.everythingJs(), "stdio", "--evil"))
                .error(403, "forbidden"))
        .contains("allowlist");
    goosed
        .client
        .post("/extensions", stdio("sh", "-e", "require('child_process')"))
        .error(403, "forbidden");
  }
}

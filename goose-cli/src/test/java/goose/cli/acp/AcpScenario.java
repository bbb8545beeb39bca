package goose.cli.acp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.provider.fake.FakeAnthropicServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The client scenario of scenario.mjs, on our side: the fake provider's replies in the order the
 * steps ask for them, and what every transport must show. Steps: streamed text; a text-editor write
 * and a todo list (tool calls with their updates, a diff, a plan); a shell call in approve mode (a
 * permission request answered allow_once); a cancel; load with replay; list; close; delete.
 */
final class AcpScenario {
  private AcpScenario() {}

  /** The environment a goosed of this scenario runs with (provider = the fake). */
  static Map<String, String> env(Path root, FakeAnthropicServer anthropic) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_PATH_ROOT", root.toString());
    env.put("HOME", root.resolve("home").toString());
    env.put("GOOSE_PROVIDER", "anthropic");
    env.put("GOOSE_MODEL", "claude-sonnet-4-5");
    env.put("ANTHROPIC_HOST", anthropic.baseUri().toString());
    env.put("ANTHROPIC_API_KEY", "sk-ant-test");
    // A title after the first exchange would take the next scripted reply.
    env.put("GOOSE_SESSION_TITLES", "false");
    return env;
  }

  /** Queues the provider's replies for every step, in order. */
  static void script(FakeAnthropicServer anthropic, Path cwd) {
    anthropic.enqueue(FakeAnthropicServer.text("Hello ", "from ", "the fake."));
    String write =
        Json.write(
            Json.object()
                .put("command", "write")
                .put("path", cwd.resolve("notes.txt").toString())
                .put("file_text", "one\ntwo\n"));
    anthropic.enqueue(
        FakeAnthropicServer.script()
            .toolUse("toolu_write", "developer__text_editor", write)
            .build());
    anthropic.enqueue(
        FakeAnthropicServer.script()
            .toolUse(
                "toolu_todo",
                "todo__todo_write",
                "{\"content\":\"- [x] write notes\\n- [ ] review them\"}")
            .build());
    anthropic.enqueue(FakeAnthropicServer.text("Wrote it."));
    anthropic.enqueue(
        FakeAnthropicServer.script()
            .toolUse("toolu_shell", "developer__shell", "{\"command\":\"echo approved-run\"}")
            .build());
    anthropic.enqueue(FakeAnthropicServer.text("It ran."));
    anthropic.enqueue(
        FakeAnthropicServer.script().text("Once ", "upon ", "a ", "time").build().stallAfter(4));
  }

  /** What every transport must show for the whole scenario. */
  static void check(Transcript t, Path cwd) throws Exception {
    JsonNode init = t.result("initialize");
    assertThat(init.get("protocolVersion").asInt()).isEqualTo(1);
    assertThat(init.at("/agentCapabilities/loadSession").asBoolean()).isTrue();
    assertThat(init.at("/agentCapabilities/promptCapabilities/image").asBoolean()).isTrue();
    assertThat(init.at("/agentCapabilities/promptCapabilities/embeddedContext").asBoolean())
        .isTrue();
    assertThat(init.at("/agentCapabilities/mcpCapabilities/http").asBoolean()).isTrue();
    assertThat(fields(init.at("/agentCapabilities/sessionCapabilities")))
        .contains("list", "resume", "close", "delete");
    assertThat(init.get("authMethods")).isEmpty();

    JsonNode created = t.result("new");
    String sessionId = created.get("sessionId").asText();
    assertThat(created.get("configOptions").findValuesAsText("id"))
        .contains("provider", "model", "mode");

    // Streamed text, then the end of the turn.
    assertThat(t.result("text").get("stopReason").asText()).isEqualTo("end_turn");
    assertThat(text(t.updates("text", "agent_message_chunk"))).isEqualTo("Hello from the fake.");
    assertThat(t.updates("text", "usage_update")).isNotEmpty();

    // A text-editor write: the call, then its update with the diff; a todo list: a plan.
    assertThat(t.result("tools").get("stopReason").asText()).isEqualTo("end_turn");
    JsonNode call = only(t.updates("tools", "tool_call"), "toolu_write");
    assertThat(call.get("kind").asText()).isEqualTo("edit");
    assertThat(call.get("status").asText()).isEqualTo("in_progress");
    assertThat(call.at("/locations/0/path").asText())
        .isEqualTo(cwd.resolve("notes.txt").toString());
    assertThat(call.at("/rawInput/command").asText()).isEqualTo("write");
    JsonNode done = only(t.updates("tools", "tool_call_update"), "toolu_write");
    assertThat(done.get("status").asText()).isEqualTo("completed");
    JsonNode diff = done.get("content").get(0);
    assertThat(diff.get("type").asText()).isEqualTo("diff");
    assertThat(diff.get("path").asText()).isEqualTo(cwd.resolve("notes.txt").toString());
    assertThat(diff.get("newText").asText()).isEqualTo("one\ntwo\n");
    assertThat(Files.readString(cwd.resolve("notes.txt"))).isEqualTo("one\ntwo\n");
    JsonNode plan = t.updates("tools", "plan").getFirst();
    assertThat(plan.get("entries").findValuesAsText("content"))
        .containsExactly("write notes", "review them");
    assertThat(plan.get("entries").findValuesAsText("status"))
        .containsExactly("completed", "pending");
    assertThat(text(t.updates("tools", "agent_message_chunk"))).isEqualTo("Wrote it.");

    // Approve mode: the shell call waits for the client's answer, then runs.
    assertThat(t.result("mode").get("configOptions").toString())
        .contains("\"currentValue\":\"approve\"");
    List<JsonNode> asked = t.agentRequests("permission");
    assertThat(asked).hasSize(1);
    assertThat(asked.getFirst().get("method").asText()).isEqualTo("session/request_permission");
    assertThat(asked.getFirst().at("/params/toolCall/toolCallId").asText())
        .isEqualTo("toolu_shell");
    assertThat(asked.getFirst().at("/params/options").findValuesAsText("kind"))
        .containsExactly("allow_once", "allow_always", "reject_once", "reject_always");
    // Waiting for the answer the call is pending, not running; allowed, in progress; then done.
    List<JsonNode> shellUpdates =
        t.updates("permission", "tool_call_update").stream()
            .filter(u -> u.path("toolCallId").asText().equals("toolu_shell"))
            .toList();
    assertThat(shellUpdates.stream().map(u -> u.path("status").asText()))
        .containsExactly("pending", "in_progress", "completed");
    JsonNode ran = shellUpdates.getLast();
    assertThat(ran.get("content").toString()).contains("approved-run");
    assertThat(t.shape("permission"))
        .containsSubsequence(
            "in tool_call",
            "in tool_call_update",
            "in session/request_permission",
            "out result",
            "in tool_call_update",
            "in result");

    // A cancel ends the prompt with stopReason cancelled, not an error.
    assertThat(t.result("cancel").get("stopReason").asText()).isEqualTo("cancelled");

    // Load replays the conversation, then answers.
    List<String> loadShape = t.shape("load");
    assertThat(loadShape.getLast()).isEqualTo("in result");
    List<JsonNode> replayedUser = t.updates("load", "user_message_chunk");
    assertThat(replayedUser.stream().map(u -> u.at("/content/text").asText()))
        .containsSubsequence("say hello", "write a file and plan", "run a command");
    assertThat(text(t.updates("load", "agent_message_chunk")))
        .contains("Hello from the fake.", "Wrote it.");
    assertThat(
            only(t.updates("load", "tool_call_update"), "toolu_write")
                .get("content")
                .get(0)
                .get("type")
                .asText())
        .isEqualTo("diff");
    assertThat(t.result("load").at("/modes/currentModeId").asText()).isEqualTo("approve");

    // List shows it with goose's _meta; close and delete answer.
    JsonNode listed = null;
    for (JsonNode s : t.result("list").get("sessions"))
      if (s.get("sessionId").asText().equals(sessionId)) listed = s;
    assertThat(listed).isNotNull();
    assertThat(listed.get("cwd").asText()).isEqualTo(cwd.toString());
    assertThat(listed.at("/_meta/messageCount").asLong()).isGreaterThan(4);
    assertThat(t.result("close").isObject()).isTrue();
    assertThat(t.result("delete").isObject()).isTrue();
  }

  static String text(List<JsonNode> chunks) {
    return chunks.stream().map(c -> c.at("/content/text").asText()).collect(Collectors.joining());
  }

  static JsonNode only(List<JsonNode> updates, String toolCallId) {
    List<JsonNode> found =
        updates.stream().filter(u -> u.path("toolCallId").asText().equals(toolCallId)).toList();
    assertThat(found).as("updates of " + toolCallId).hasSize(1);
    return found.getFirst();
  }

  private static List<String> fields(JsonNode node) {
    List<String> out = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}

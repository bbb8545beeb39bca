package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.provider.fake.FakeOpenAiServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool approval end to end: a real server, a real SQLite store, the built-in developer and todo
 * tools, a fake provider speaking the OpenAI wire format, and the client's side through the real
 * SSE stream.
 *
 * <p>One server serves the tests that need nothing but a session of their own (the tests of a class
 * run one after another; each reads its own session's approvals and audit entries). A test that
 * restarts the server, needs other settings, or leaves a remembered answer behind (always allow,
 * remembered for the user) starts its own on its own directories.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ApprovalRoutesTest {
  @TempDir static Path shared;
  static FakeOpenAiServer openai;
  static TestServer sharedServer;

  /** This test's own directory: its session's working directory, or its own server's root. */
  @TempDir Path root;

  TestServer goosed;
  String sessionId;

  @BeforeAll
  static void startShared() {
    openai = new FakeOpenAiServer();
    sharedServer = TestServer.start(shared, settings(Map.of()));
  }

  @AfterAll
  static void stopShared() {
    if (sharedServer != null) sharedServer.close();
    openai.close();
  }

  @BeforeEach
  void start() {
    goosed = sharedServer;
    sessionId = createSession();
  }

  @AfterEach
  void stop() {
    if (goosed != sharedServer) goosed.close();
  }

  static Map<String, String> settings(Map<String, String> extra) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "GOOSE_PROVIDER",
                "openai",
                "OPENAI_HOST",
                openai.baseUri().toString(),
                "OPENAI_API_KEY",
                "sk-test-123"));
    env.putAll(extra);
    return env;
  }

  TestServer startServer(Map<String, String> extra) {
    return TestServer.start(root.resolve("server"), settings(extra));
  }

  /** Moves this test to a server of its own (on its own directory) and a new session there. */
  void ownServer(Map<String, String> extra) {
    goosed = startServer(extra);
    sessionId = createSession();
  }

  String createSession() {
    return goosed.createSession(root, "t");
  }

  /** This test's session's audit entries. */
  JsonNode audit() {
    return goosed.client.get("/audit?session_id=" + sessionId).json().get("entries");
  }

  void mode(String mode) {
    JsonNode session =
        goosed.client.patch("/sessions/" + sessionId, "{\"mode\":\"" + mode + "\"}").json();
    assertThat(session.get("mode").asText()).isEqualTo(mode);
  }

  /** The model calls {@code tool} once, then answers "finished". */
  void scriptToolCall(String callId, String tool, String arguments) {
    openai.enqueue(FakeOpenAiServer.script().toolCall(0, callId, tool, arguments).build());
    openai.enqueue(FakeOpenAiServer.text("finished"));
  }

  SseClient send(String json) {
    return SseClient.post(goosed.server.uri(), "/sessions/" + sessionId + "/messages", json);
  }

  ApiClient.Response answer(String callId, String decision) {
    return goosed.client.post(
        "/sessions/" + sessionId + "/tool-approvals/" + callId,
        "{\"decision\":\"" + decision + "\"}");
  }

  static SseClient.Event until(SseClient sse, String name, List<SseClient.Event> seen)
      throws Exception {
    while (true) {
      SseClient.Event e =
          sse.next()
              .orElseThrow(
                  () -> new AssertionError("stream ended before " + name + "; got " + seen));
      seen.add(e);
      if (e.name().equals(name)) return e;
    }
  }

  static SseClient.Event first(List<SseClient.Event> events, String name) {
    return events.stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + events));
  }

  String lastToolResultSentToTheModel() {
    return openai.lastRequest().json().get("messages").toString();
  }

  @Test
  void approveAsksOnTheStreamAndAllowOnceRunsTheToolAndFinishesTheTurn() throws Exception {
    mode("approve");
    scriptToolCall(
        "call_1",
        "developer__shell",
        "{\"command\":\"echo approved-and-ran --token=abc123secretvalue\"}");
    List<SseClient.Event> seen = new ArrayList<>();
    try (SseClient sse = send("{\"content\":\"run it\"}")) {
      SseClient.Event asked = until(sse, "tool_approval_required", seen);
      assertThat(asked.data().get("id").asText()).isEqualTo("call_1");
      assertThat(asked.data().get("tool").asText()).isEqualTo("developer__shell");
      assertThat(asked.data().get("arguments").get("command").asText())
          .startsWith("echo approved-and-ran");

      JsonNode open =
          goosed.client.get("/sessions/" + sessionId + "/tool-approvals").json().get("approvals");
      assertThat(open)
          .singleElement()
          .satisfies(a -> assertThat(a.get("id").asText()).isEqualTo("call_1"));
      assertThat(answer("call_1", "maybe").error(400, "invalid_field")).contains("decision");
      assertThat(answer("call_9", "allow_once").error(404, "not_found")).contains("call_9");
      answer("call%01x", "allow_once").error(404, "not_found");
      answer("x".repeat(300), "allow_once").error(404, "not_found");
      goosed
          .client
          .post(
              "/sessions/01890000-0000-7000-8000-000000000000/tool-approvals/call_1",
              "{\"decision\":\"allow_once\"}")
          .error(404, "not_found");

      JsonNode answered = answer("call_1", "allow_once").json();
      assertThat(answered.get("decision").asText()).isEqualTo("allow_once");
      SseClient.Event result = until(sse, "tool_result", seen);
      assertThat(result.data().get("status").asText()).isEqualTo("success");
      assertThat(result.data().get("result").toString()).contains("approved-and-ran");
      seen.addAll(sse.untilComplete());
    }
    assertThat(seen.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(seen)
        .extracting(SseClient.Event::name)
        .containsSubsequence(
            "tool_call",
            "tool_approval_required",
            "tool_result",
            "message_chunk",
            "message_complete");
    assertThat(answer("call_1", "deny").error(409, "conflict")).contains("already decided");
    assertThat(
            goosed.client.get("/sessions/" + sessionId + "/tool-approvals").json().get("approvals"))
        .isEmpty();
    assertThat(lastToolResultSentToTheModel()).contains("approved-and-ran");

    assertThat(audit())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get("tool").asText()).isEqualTo("developer__shell");
              assertThat(e.get("user").asText()).isEqualTo("local");
              assertThat(e.get("session_id").asText()).isEqualTo(sessionId);
              assertThat(e.get("decision").asText()).isEqualTo("allowed_once");
              assertThat(e.get("outcome").asText()).isEqualTo("success");
              assertThat(e.get("arguments").get("command").asText())
                  .contains("--token=[REDACTED]")
                  .doesNotContain("abc123secretvalue");
            });
  }

  @Test
  void aDeniedCallReachesTheModelAsAnErrorAndNothingRuns() throws Exception {
    mode("approve");
    scriptToolCall("call_1", "developer__shell", "{\"command\":\"touch should-not-exist\"}");
    List<SseClient.Event> seen = new ArrayList<>();
    try (SseClient sse = send("{\"content\":\"run it\"}")) {
      until(sse, "tool_approval_required", seen);
      answer("call_1", "deny").json();
      seen.addAll(sse.untilComplete());
    }
    assertThat(first(seen, "tool_result").data().get("status").asText()).isEqualTo("error");
    assertThat(root.resolve("should-not-exist")).doesNotExist();
    assertThat(lastToolResultSentToTheModel()).contains("denied by the user");
    assertThat(audit().at("/0/decision").asText()).isEqualTo("denied");
  }

  @Test
  void alwaysAllowIsRememberedForTheNextCallOfThatTool() throws Exception {
    ownServer(Map.of()); // the answer is remembered for the user, beyond this session
    mode("approve");
    scriptToolCall("call_1", "developer__shell", "{\"command\":\"echo one\"}");
    List<SseClient.Event> seen = new ArrayList<>();
    try (SseClient sse = send("{\"content\":\"first\"}")) {
      until(sse, "tool_approval_required", seen);
      answer("call_1", "always_allow").json();
      sse.untilComplete();
    }
    scriptToolCall("call_2", "developer__shell", "{\"command\":\"echo two\"}");
    try (SseClient sse = send("{\"content\":\"second\"}")) {
      List<SseClient.Event> second = sse.untilComplete();
      assertThat(second).extracting(SseClient.Event::name).doesNotContain("tool_approval_required");
      assertThat(first(second, "tool_result").data().get("result").toString()).contains("two");
    }
    assertThat(audit())
        .extracting(e -> e.get("decision").asText())
        .containsExactly("always_allowed", "always_allowed");
  }

  @Test
  void smartApproveRunsAReadOnlyToolWithoutAsking() throws Exception {
    mode("smart_approve");
    scriptToolCall("call_1", "todo__todo_read", "{}");
    try (SseClient sse = send("{\"content\":\"what is on my list?\"}")) {
      List<SseClient.Event> events = sse.untilComplete();
      assertThat(events).extracting(SseClient.Event::name).doesNotContain("tool_approval_required");
      assertThat(first(events, "tool_result").data().get("status").asText()).isEqualTo("success");
    }
    assertThat(audit().at("/0/decision").asText()).isEqualTo("auto");
  }

  @Test
  void chatModeSendsTheModelNoTools() throws Exception {
    mode("chat");
    openai.enqueue(FakeOpenAiServer.text("just talking"));
    try (SseClient sse = send("{\"content\":\"hi\"}")) {
      sse.untilComplete();
    }
    assertThat(openai.lastRequest().json().has("tools")).isFalse();

    goosed.client.patch("/sessions/" + sessionId, "{\"mode\":\"auto\"}").json();
    openai.enqueue(FakeOpenAiServer.text("now with tools"));
    try (SseClient sse = send("{\"content\":\"hi again\"}")) {
      sse.untilComplete();
    }
    assertThat(openai.lastRequest().json().get("tools").toString()).contains("developer__shell");
  }

  @Test
  void anInvalidModeIsA400NamingModeAndTheServerDefaultIsShown() {
    String path = "/sessions/" + sessionId;
    assertThat(goosed.client.get(path).json().get("mode").asText()).isEqualTo("auto");
    assertThat(goosed.client.patch(path, "{\"mode\":\"yolo\"}").error(400, "invalid_field"))
        .contains("mode");
    assertThat(goosed.client.patch(path, "{\"mode\":3}").status()).isEqualTo(400);
    assertThat(goosed.client.get(path).json().get("mode").asText()).isEqualTo("auto");
    JsonNode renamed =
        goosed.client.patch(path, "{\"name\":\"renamed\",\"mode\":\"approve\"}").json();
    assertThat(renamed.get("name").asText()).isEqualTo("renamed");
    assertThat(goosed.client.get("/sessions?q=renamed").json().at("/sessions/0/mode").asText())
        .isEqualTo("approve");
  }

  @Test
  void noAnswerWithinTheTimeoutIsADeny() throws Exception {
    ownServer(Map.of("GOOSE_MODE", "approve", "GOOSE_APPROVAL_TIMEOUT", "1"));
    assertThat(goosed.client.get("/sessions/" + sessionId).json().get("mode").asText())
        .isEqualTo("approve");
    scriptToolCall("call_1", "developer__shell", "{\"command\":\"echo late\"}");
    List<SseClient.Event> seen = new ArrayList<>();
    try (SseClient sse = send("{\"content\":\"run it\"}")) {
      until(sse, "tool_approval_required", seen);
      seen.addAll(sse.untilComplete());
    }
    assertThat(first(seen, "tool_result").data().get("status").asText()).isEqualTo("error");
    assertThat(lastToolResultSentToTheModel()).contains("no approval arrived in time");
    assertThat(answer("call_1", "allow_once").error(409, "conflict")).contains("expired");
    assertThat(audit().at("/0/decision").asText()).isEqualTo("timeout");
  }

  @Test
  void aClientThatReconnectsSeesThePendingApprovalAndCanStillAnswerIt() throws Exception {
    mode("approve");
    scriptToolCall("call_1", "developer__shell", "{\"command\":\"echo after-reconnect\"}");
    List<SseClient.Event> seen = new ArrayList<>();
    SseClient sse = send("{\"content\":\"run it\",\"on_disconnect\":\"continue\"}");
    SseClient.Event asked = until(sse, "tool_approval_required", seen);
    sse.close();

    long before = asked.id() - 1;
    try (SseClient again =
        SseClient.get(
            goosed.server.uri(),
            "/sessions/" + sessionId + "/events",
            "Last-Event-ID",
            String.valueOf(before))) {
      List<SseClient.Event> replay = new ArrayList<>();
      SseClient.Event replayed = until(again, "tool_approval_required", replay);
      assertThat(replayed.id()).isEqualTo(asked.id());
      assertThat(replayed.data().get("id").asText()).isEqualTo("call_1");
      answer("call_1", "allow_once").json();
      List<SseClient.Event> rest = again.untilComplete();
      assertThat(first(rest, "tool_result").data().get("result").toString())
          .contains("after-reconnect");
      assertThat(rest.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
    }
  }

  @Test
  void aTurnWaitingForApprovalSurvivesARestartAndResumesWhenAnswered() throws Exception {
    ownServer(Map.of());
    mode("approve");
    scriptToolCall("call_1", "developer__shell", "{\"command\":\"echo after-restart\"}");
    List<SseClient.Event> seen = new ArrayList<>();
    SseClient.Event asked;
    try (SseClient sse = send("{\"content\":\"run it\",\"on_disconnect\":\"continue\"}")) {
      asked = until(sse, "tool_approval_required", seen);
    }
    goosed.close();
    goosed = startServer(Map.of());

    assertThat(
            goosed.client.get("/sessions/" + sessionId + "/tool-approvals").json().get("approvals"))
        .hasSize(1);
    goosed
        .client
        .post("/sessions/" + sessionId + "/messages", "{\"content\":\"meanwhile\"}")
        .error(409, "conflict");
    try (SseClient again =
        SseClient.get(
            goosed.server.uri(),
            "/sessions/" + sessionId + "/events",
            "Last-Event-ID",
            String.valueOf(asked.id()))) {
      answer("call_1", "allow_once").json();
      List<SseClient.Event> rest = again.untilComplete();
      assertThat(rest.getFirst().id()).isEqualTo(asked.id() + 1);
      assertThat(first(rest, "tool_result").data().get("result").toString())
          .contains("after-restart");
      assertThat(rest).extracting(SseClient.Event::name).doesNotContain("turn_error");
      assertThat(texts(rest)).isEqualTo("finished");
      assertThat(rest.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
    }
    assertThat(lastToolResultSentToTheModel()).contains("after-restart");
    JsonNode messages = goosed.client.get("/sessions/" + sessionId).json().get("messages");
    assertThat(messages).hasSize(4); // user, assistant (tool call), tool result, assistant
    openai.enqueue(FakeOpenAiServer.text("usable again"));
    try (SseClient sse = send("{\"content\":\"next\"}")) {
      assertThat(texts(sse.untilComplete())).isEqualTo("usable again");
    }
  }

  static String texts(List<SseClient.Event> events) {
    return TurnRoutesTest.texts(events);
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.provider.fake.FakeAnthropicServer;
import goose.provider.fake.FakeExchange;
import goose.provider.fake.FakeOpenAiServer;
import goose.provider.fake.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Turns end to end: a real server, a real SQLite store, and a fake provider speaking the real wire
 * format.
 *
 * <p>One server (and one fake provider) per provider serves the tests that need nothing but a
 * session of their own: the tests of a class run one after another, each reads only its own session
 * and the provider requests made since it started. A test that restarts the server or needs other
 * settings starts its own on its own directories.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TurnRoutesTest {
  @TempDir static Path shared;
  static FakeOpenAiServer openai;
  static TestServer onOpenAi;
  static FakeAnthropicServer anthropic;
  static TestServer onAnthropic;

  /** This test's own directory: its session's working directory, or its own server's root. */
  @TempDir Path root;

  TestServer goosed;
  String sessionId;
  int openAiRequestsBefore;

  @BeforeAll
  static void startShared() {
    openai = new FakeOpenAiServer();
    onOpenAi = TestServer.start(shared.resolve("openai"), openAiSettings("sk-test-123"));
  }

  @AfterAll
  static void stopShared() {
    if (onOpenAi != null) onOpenAi.close();
    if (onAnthropic != null) onAnthropic.close();
    openai.close();
    if (anthropic != null) anthropic.close();
  }

  static Map<String, String> openAiSettings(String apiKey) {
    return Map.of(
        "GOOSE_PROVIDER",
        "openai",
        "OPENAI_HOST",
        openai.baseUri().toString(),
        "OPENAI_API_KEY",
        apiKey);
  }

  @BeforeEach
  void start() {
    goosed = onOpenAi;
    sessionId = createSession(goosed);
    openAiRequestsBefore = openai.requests().size();
  }

  @AfterEach
  void stop() {
    if (goosed != onOpenAi && goosed != onAnthropic) goosed.close();
  }

  /** A server of this test's own on its own directory, with a new session on it. */
  TestServer ownServer(Map<String, String> env) {
    goosed = startServer(env);
    sessionId = createSession(goosed);
    return goosed;
  }

  TestServer startServer(Map<String, String> env) {
    return TestServer.start(root.resolve("server"), env);
  }

  String createSession(TestServer server) {
    return server.createSession(root, "t");
  }

  /** The provider requests of this test (the fake serves the class's tests one after another). */
  List<RecordedRequest> openAiRequests() {
    List<RecordedRequest> all = openai.requests();
    return all.subList(openAiRequestsBefore, all.size());
  }

  /**
   * Moves this test to the class's server backed by an Anthropic fake (started on first use), on a
   * new session; the requests that fake received before this test.
   */
  int useAnthropic() {
    synchronized (TurnRoutesTest.class) {
      if (onAnthropic == null) {
        anthropic = new FakeAnthropicServer();
        onAnthropic =
            TestServer.start(
                shared.resolve("anthropic"),
                Map.of(
                    "GOOSE_PROVIDER",
                    "anthropic",
                    "ANTHROPIC_HOST",
                    anthropic.baseUri().toString(),
                    "ANTHROPIC_API_KEY",
                    "sk-ant"));
      }
    }
    goosed = onAnthropic;
    sessionId = createSession(goosed);
    return anthropic.requests().size();
  }

  SseClient send(String json) {
    return SseClient.post(goosed.server.uri(), "/sessions/" + sessionId + "/messages", json);
  }

  static String texts(List<SseClient.Event> events) {
    StringBuilder sb = new StringBuilder();
    events.stream()
        .filter(e -> e.name().equals("message_chunk"))
        .forEach(e -> sb.append(e.data().get("text").asText()));
    return sb.toString();
  }

  @Test
  void streamsAReplyAsServerSentEventsAndStoresIt() throws Exception {
    openai.enqueue(FakeOpenAiServer.text("The answer", " is ", "42."));
    try (SseClient sse = send("{\"content\":\"What is the answer?\"}")) {
      assertThat(sse.status).isEqualTo(200);
      assertThat(sse.header("content-type")).startsWith("text/event-stream");
      assertThat(sse.header("x-accel-buffering")).isEqualTo("no");
      List<SseClient.Event> events = sse.untilComplete();

      assertThat(texts(events)).isEqualTo("The answer is 42.");
      assertThat(events).extracting(SseClient.Event::id).isSorted().doesNotHaveDuplicates();
      SseClient.Event complete = events.getLast();
      assertThat(complete.data().get("stop_reason").asText()).isEqualTo("end_turn");
      assertThat(complete.data().path("usage").has("input_tokens")).isTrue();
    }
    JsonNode sent = openai.lastRequest().json();
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.get("messages").toString()).contains("What is the answer?");
    assertThat(openai.lastRequest().header("authorization")).contains("Bearer sk-test-123");

    JsonNode session = goosed.client.get("/sessions/" + sessionId).json();
    assertThat(session.get("message_count").asInt()).isEqualTo(2);
    assertThat(session.get("messages").get(1).get("content").get(0).get("text").asText())
        .isEqualTo("The answer is 42.");
  }

  @Test
  void runsABuiltInToolThroughTheModelAndStreamsTheResult() throws Exception {
    int before = useAnthropic();
    Files.writeString(root.resolve("hello.txt"), "hi from a file");
    anthropic.enqueue(
        FakeAnthropicServer.script()
            .text("Let me look.")
            .toolUse("toolu_1", "developer__shell", "{\"command\":", "\"cat hello.txt\"}")
            .build());
    anthropic.enqueue(FakeAnthropicServer.text("The file says hi."));

    List<SseClient.Event> events;
    try (SseClient sse = send("{\"content\":\"read hello.txt\"}")) {
      events = sse.untilComplete();
    }
    assertThat(events)
        .extracting(SseClient.Event::name)
        .containsSubsequence(
            "message_chunk", "tool_call", "tool_result", "message_chunk", "message_complete");
    SseClient.Event call =
        events.stream().filter(e -> e.name().equals("tool_call")).findFirst().orElseThrow();
    assertThat(call.data().get("tool").asText()).isEqualTo("developer__shell");
    assertThat(call.data().get("arguments").get("command").asText()).isEqualTo("cat hello.txt");
    SseClient.Event result =
        events.stream().filter(e -> e.name().equals("tool_result")).findFirst().orElseThrow();
    assertThat(result.data().get("status").asText()).isEqualTo("success");
    assertThat(result.data().get("result").toString()).contains("hi from a file");
    // The tool result went back to the model in Anthropic's format.
    assertThat(anthropic.lastRequest().json().get("messages").toString())
        .contains("tool_result")
        .contains("hi from a file");
    assertThat(anthropic.requests().get(before).json().get("tools").toString())
        .contains("developer__shell");
  }

  @Test
  void aTurnCancelledDuringAToolCallLeavesAConversationTheProviderAccepts() throws Exception {
    // The fake refuses, as Anthropic does, a tool_use without its tool_result in the next message.
    useAnthropic();
    anthropic.enqueue(
        FakeAnthropicServer.script()
            .toolUse("toolu_1", "developer__shell", "{\"command\":\"sleep 60\"}")
            .build());
    try (SseClient sse = send("{\"content\":\"wait a minute\"}")) {
      SseClient.Event event;
      do event = sse.next().orElseThrow();
      while (!event.name().equals("tool_call"));
      goosed.client.post("/sessions/" + sessionId + "/cancel", "{}");
      List<SseClient.Event> rest = sse.untilComplete();
      assertThat(rest.getLast().data().get("stop_reason").asText()).isEqualTo("cancelled");
      assertThat(rest)
          .filteredOn(e -> e.name().equals("tool_result"))
          .singleElement()
          .satisfies(r -> assertThat(r.data().get("status").asText()).isEqualTo("error"));
    }

    anthropic.enqueue(FakeAnthropicServer.text("Fine, no waiting."));
    List<SseClient.Event> next;
    try (SseClient sse = send("{\"content\":\"never mind\"}")) {
      next = sse.untilComplete();
    }
    assertThat(next).extracting(SseClient.Event::name).doesNotContain("turn_error");
    assertThat(next.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(anthropic.lastRequest().json().get("messages").toString())
        .contains("\"tool_use_id\":\"toolu_1\"");
  }

  @Test
  void secondTurnIs409AndCancelEndsTheFirstAndClosesTheProviderConnection() throws Exception {
    FakeExchange held =
        openai.enqueue(FakeOpenAiServer.text("thinking about it", " and more").stallAfter(2));
    try (SseClient sse = send("{\"content\":\"slow one\"}")) {
      assertThat(sse.next().orElseThrow().name()).isEqualTo("message_chunk");
      goosed
          .client
          .post("/sessions/" + sessionId + "/messages", "{\"content\":\"again\"}")
          .error(409, "conflict");

      JsonNode cancel = goosed.client.post("/sessions/" + sessionId + "/cancel", "{}").json();
      assertThat(cancel.get("cancelled").asBoolean()).isTrue();
      List<SseClient.Event> rest = sse.untilComplete();
      assertThat(rest.getLast().data().get("stop_reason").asText()).isEqualTo("cancelled");
    }
    assertThat(held.clientClosedEarly()).isTrue();
    JsonNode messages = goosed.client.get("/sessions/" + sessionId).json().get("messages");
    assertThat(messages.get(1).get("interrupted").asBoolean()).isTrue();
    assertThat(messages.get(1).get("content").get(0).get("text").asText())
        .isEqualTo("thinking about it");
  }

  @Test
  void clientDisconnectCancelsTheTurnAndAbortsTheProviderRequest() throws Exception {
    FakeExchange held =
        openai.enqueue(FakeOpenAiServer.text("partial", " never sent").stallAfter(2));
    SseClient sse = send("{\"content\":\"hang up on me\"}");
    assertThat(sse.next().orElseThrow().name()).isEqualTo("message_chunk");
    sse.close();

    assertThat(held.clientClosedEarly()).isTrue();
    try (SseClient replay =
        SseClient.get(goosed.server.uri(), "/sessions/" + sessionId + "/events?after=0")) {
      assertThat(replay.untilComplete().getLast().data().get("stop_reason").asText())
          .isEqualTo("cancelled");
    }
  }

  @Test
  void aReattachedClientThatHangsUpDoesNotCancelTheTurn() throws Exception {
    openai.enqueue(
        FakeOpenAiServer.text("a", "b", "c", "d", "e", "f")
            .withChunkDelay(java.time.Duration.ofMillis(150)));
    String body =
        "{\"content\":\"twice\",\"request_id\":\"r-hangup\",\"on_disconnect\":\"continue\"}";
    try (SseClient original = send(body)) {
      assertThat(original.next().orElseThrow().name()).isEqualTo("message_chunk");
      // A retry of the same request (its own on_disconnect left out) re-attaches, then hangs up:
      // only the request that started the turn says what a disconnect does.
      SseClient retry = send("{\"content\":\"twice\",\"request_id\":\"r-hangup\"}");
      assertThat(retry.next()).isPresent();
      retry.close();
      assertThat(original.untilComplete().getLast().data().get("stop_reason").asText())
          .isEqualTo("end_turn");
    }
  }

  @Test
  void onDisconnectContinueKeepsTheTurnRunningForAReattach() throws Exception {
    // Ten chunks 250 ms apart: the server writes to the gone client while the turn goes on.
    FakeExchange slow =
        openai.enqueue(
            FakeOpenAiServer.text("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
                .withChunkDelay(java.time.Duration.ofMillis(250)));
    SseClient sse = send("{\"content\":\"keep going\",\"on_disconnect\":\"continue\"}");
    SseClient.Event first = sse.next().orElseThrow();
    sse.close();

    try (SseClient again =
        SseClient.get(
            goosed.server.uri(),
            "/sessions/" + sessionId + "/events",
            "Last-Event-ID",
            String.valueOf(first.id()))) {
      List<SseClient.Event> rest = again.untilComplete();
      assertThat(rest.getFirst().id()).isEqualTo(first.id() + 1);
      assertThat(rest.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
      assertThat(texts(List.of(first)) + texts(rest)).isEqualTo("abcdefghij");
    }
    assertThat(slow.request().json().toString()).contains("keep going");
    JsonNode reply = goosed.client.get("/sessions/" + sessionId).json().get("messages").get(1);
    assertThat(reply.get("interrupted").asBoolean()).isFalse();
    assertThat(reply.get("content").get(0).get("text").asText()).isEqualTo("abcdefghij");
  }

  /**
   * An event log written by a build from before turn_error (name "error", data without an event
   * property) replays after an upgrade in today's form, and the session takes new turns.
   */
  @Test
  void aLogStoredUnderTheOldErrorNameReplaysAsTurnError() throws Exception {
    ownServer(openAiSettings("sk-test-123"));
    openai.enqueue(FakeOpenAiServer.error(401, Map.of(), "invalid_request_error", "k", "bad key"));
    try (SseClient sse = send("{\"content\":\"hi\"}")) {
      assertThat(sse.untilComplete())
          .extracting(SseClient.Event::name)
          .containsExactly("turn_error", "message_complete");
    }
    goosed.close();
    Path db = goosed.root.resolve("data/sessions/sessions.db");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        var st = c.createStatement()) {
      assertThat(st.executeUpdate("UPDATE events SET name = 'error' WHERE name = 'turn_error'"))
          .isEqualTo(1);
      st.executeUpdate("UPDATE events SET data = json_remove(data, '$.event')");
    }
    goosed = goosed.restart();
    try (SseClient replay =
        SseClient.get(goosed.server.uri(), "/sessions/" + sessionId + "/events?after=0")) {
      List<SseClient.Event> events = replay.untilComplete();
      assertThat(events)
          .extracting(SseClient.Event::name)
          .containsExactly("turn_error", "message_complete");
      assertThat(events.getFirst().data().path("code").asText()).isEqualTo("provider_auth");
    }
    openai.enqueue(FakeOpenAiServer.text("fine now"));
    try (SseClient sse = send("{\"content\":\"again\"}")) {
      assertThat(texts(sse.untilComplete())).isEqualTo("fine now");
    }
  }

  @Test
  void eventsReplayAfterARestart() throws Exception {
    ownServer(openAiSettings("sk-test-123"));
    openai.enqueue(FakeOpenAiServer.text("one ", "two ", "three"));
    List<SseClient.Event> live;
    try (SseClient sse = send("{\"content\":\"count\"}")) {
      live = sse.untilComplete();
    }
    goosed.close();
    goosed = startServer(openAiSettings("k"));

    try (SseClient replay =
        SseClient.get(
            goosed.server.uri(),
            "/sessions/" + sessionId + "/events",
            "Last-Event-ID",
            String.valueOf(live.getFirst().id()))) {
      List<SseClient.Event> rest = replay.untilComplete();
      assertThat(rest).isEqualTo(live.subList(1, live.size()));
    }
  }

  @Test
  void aRepeatedRequestIdReattachesInsteadOfRunningTwice() throws Exception {
    openai.enqueue(FakeOpenAiServer.text("only once"));
    String body = "{\"content\":\"hello\",\"request_id\":\"client-req-7\"}";
    List<SseClient.Event> first;
    try (SseClient sse = send(body)) {
      first = sse.untilComplete();
    }
    try (SseClient sse = send(body)) {
      assertThat(sse.untilComplete()).isEqualTo(first);
    }
    assertThat(openAiRequests()).hasSize(1);
    assertThat(goosed.client.get("/sessions/" + sessionId).json().get("message_count").asInt())
        .isEqualTo(2);

    // The same id with another message is another request: refused, not replayed and dropped.
    ApiClient.Response reused =
        goosed.client.post(
            "/sessions/" + sessionId + "/messages",
            "{\"content\":\"NO WAIT, do not\",\"request_id\":\"client-req-7\"}");
    assertThat(reused.error(422, "request_id_reused"))
        .contains("request_id client-req-7 was already used for a different message");
    assertThat(openAiRequests()).hasSize(1);
    assertThat(goosed.client.get("/sessions/" + sessionId).json().get("message_count").asInt())
        .isEqualTo(2);
  }

  @Test
  void aClientThatDoesNotAcceptEventStreamsGets202AndFollowsTheLog() throws Exception {
    openai.enqueue(FakeOpenAiServer.text("async"));
    ApiClient.Response accepted =
        goosed.client.send(
            "POST",
            "/sessions/" + sessionId + "/messages",
            java.net.http.HttpRequest.BodyPublishers.ofString("{\"content\":\"hi\"}"),
            "application/json",
            "Accept",
            "application/json");
    assertThat(accepted.status()).isEqualTo(202);
    String url = accepted.json().get("events_url").asText();
    try (SseClient sse = SseClient.get(goosed.server.uri(), url)) {
      assertThat(texts(sse.untilComplete())).isEqualTo("async");
    }
  }

  @Test
  void providerErrorsBecomeAnErrorEventAndTheSessionStaysUsable() throws Exception {
    openai.enqueue(
        FakeOpenAiServer.error(
            401,
            Map.of(),
            "invalid_request_error",
            "invalid_api_key",
            "Incorrect API key provided"));
    try (SseClient sse = send("{\"content\":\"hi\"}")) {
      List<SseClient.Event> events = sse.untilComplete();
      assertThat(events)
          .extracting(SseClient.Event::name)
          .containsExactly("turn_error", "message_complete");
      assertThat(events.getFirst().data().get("code").asText()).isEqualTo("provider_auth");
      assertThat(events.getFirst().data().toString()).doesNotContain("sk-test-123");
      assertThat(events.getLast().data().get("stop_reason").asText()).isEqualTo("error");
    }
    openai.enqueue(FakeOpenAiServer.text("fine now"));
    try (SseClient sse = send("{\"content\":\"again\"}")) {
      assertThat(texts(sse.untilComplete())).isEqualTo("fine now");
    }
  }

  @Test
  void badMessagesAreRefusedBeforeAnyTurnStarts() {
    ApiClient api = goosed.client;
    String path = "/sessions/" + sessionId + "/messages";
    assertThat(api.post(path, "{}").error(400, "invalid_field")).contains("content");
    assertThat(api.post(path, "{\"content\":\"\"}").error(400, "invalid_field"))
        .contains("content");
    assertThat(api.post(path, "{\"content\":42}").error(400, "invalid_field")).contains("content");
    assertThat(
            api.post(
                    path,
                    "{\"content\":[{\"type\":\"tool_request\",\"id\":\"x\",\"name\":\"y\",\"arguments\":{}}]}")
                .error(400, "invalid_field"))
        .contains("content[0].type");
    assertThat(
            api.post(
                    path,
                    "{\"content\":[{\"type\":\"image\",\"data\":\"%%%\",\"mime_type\":\"image/png\"}]}")
                .error(400, "invalid_field"))
        .contains("content[0].data");
    assertThat(api.post(path, "{\"content\":\"x\",\"on_disconnect\":\"explode\"}").status())
        .isEqualTo(400);
    api.post("/sessions/01890000-0000-7000-8000-000000000000/messages", "{\"content\":\"x\"}")
        .error(404, "not_found");
    api.get("/sessions/" + sessionId + "/events?after=-4").error(400, "invalid_parameter");
    assertThat(openAiRequests()).isEmpty();
    assertThat(api.get("/sessions/" + sessionId).json().get("message_count").asInt()).isZero();
  }

  @Test
  void withoutAProviderATurnIs503NamingTheSettings() {
    ownServer(Map.of());
    String id = sessionId;
    String message =
        goosed
            .client
            .post("/sessions/" + id + "/messages", "{\"content\":\"hi\"}")
            .error(503, "provider_not_configured");
    assertThat(message).contains("GOOSE_PROVIDER");
  }
}

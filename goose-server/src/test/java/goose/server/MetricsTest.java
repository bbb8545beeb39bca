package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.provider.fake.FakeOpenAiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics after real turns through a real server and a fake provider. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsTest {
  @TempDir Path root;
  private final FakeOpenAiServer openai = new FakeOpenAiServer();
  private TestServer goosed;

  @AfterEach
  void stop() {
    if (goosed != null) goosed.close();
    openai.close();
  }

  private TestServer start(Map<String, String> extra) {
    java.util.HashMap<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "GOOSE_PROVIDER",
                "openai",
                "OPENAI_HOST",
                openai.baseUri().toString(),
                "OPENAI_API_KEY",
                "sk-test",
                "max_retries",
                "0"));
    env.putAll(extra);
    goosed = TestServer.start(root, env);
    return goosed;
  }

  private String session() {
    return goosed
        .client
        .post("/sessions", "{\"cwd\":\"" + root + "\",\"name\":\"m\"}")
        .json()
        .get("id")
        .asText();
  }

  private String metrics() {
    ApiClient.Response r = goosed.client.get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("text/plain; version=0.0.4");
    return r.body();
  }

  @Test
  void countsTurnsTokensToolCallsProviderErrorsSessionsAndRequests() throws Exception {
    start(Map.of());
    String id = session();
    openai.enqueue(
        FakeOpenAiServer.script()
            .text("Let me run it.")
            .toolCall(0, "call_1", "developer__shell", "{\"command\":\"echo hi\"}")
            .finishReason("tool_calls")
            .build());
    openai.enqueue(FakeOpenAiServer.script().text("It said hi.").usage(100, 20).build());
    try (SseClient sse =
        SseClient.post(
            goosed.server.uri(), "/sessions/" + id + "/messages", "{\"content\":\"run echo\"}")) {
      assertThat(sse.untilComplete().getLast().data().get("stop_reason").asText())
          .isEqualTo("end_turn");
    }
    openai.enqueue(
        FakeOpenAiServer.error(
            401,
            Map.of(),
            "invalid_request_error",
            "invalid_api_key",
            "Incorrect API key provided"));
    try (SseClient sse =
        SseClient.post(
            goosed.server.uri(), "/sessions/" + id + "/messages", "{\"content\":\"again\"}")) {
      assertThat(sse.untilComplete().getLast().data().get("stop_reason").asText())
          .isEqualTo("error");
    }
    session();

    String text = metrics();
    assertThat(PrometheusText.sample(text, "goose_turns_started_total", "provider=openai"))
        .hasValue(2.0);
    assertThat(PrometheusText.sample(text, "goose_turns_completed_total", "stop_reason=end_turn"))
        .hasValue(1.0);
    assertThat(PrometheusText.sample(text, "goose_turns_completed_total", "stop_reason=error"))
        .hasValue(1.0);
    assertThat(
            PrometheusText.sample(
                text, "goose_turn_duration_seconds_count", "stop_reason=end_turn"))
        .hasValue(1.0);
    assertThat(
            PrometheusText.sample(
                text, "goose_time_to_first_token_seconds_count", "provider=openai"))
        .hasValue(1.0);
    assertThat(PrometheusText.sample(text, "goose_tokens_total", "direction=input"))
        .hasValue(130.0);
    assertThat(PrometheusText.sample(text, "goose_tokens_total", "direction=output"))
        .hasValue(29.0);
    assertThat(
            PrometheusText.sample(
                text, "goose_tool_calls_total", "extension=developer", "status=success"))
        .hasValue(1.0);
    assertThat(
            PrometheusText.sample(
                text, "goose_tool_call_duration_seconds_count", "extension=developer"))
        .hasValue(1.0);
    assertThat(
            PrometheusText.sample(text, "goose_provider_errors_total", "kind=auth", "status=401"))
        .hasValue(1.0);
    assertThat(PrometheusText.sample(text, "goose_sessions")).hasValue(2.0);
    assertThat(PrometheusText.sample(text, "goose_turns_active")).hasValue(0.0);
    assertThat(
            PrometheusText.sample(
                text,
                "goose_http_server_requests_seconds_count",
                "route=/sessions/{id}/messages",
                "status=200"))
        .hasValue(2.0);
    assertThat(PrometheusText.sample(text, "jvm_memory_used_bytes")).isPresent();
    // Labels never carry a session id.
    assertThat(text).doesNotContain(id);
  }

  @Test
  void countsOpenEventStreams() throws Exception {
    start(Map.of());
    String id = session();
    assertThat(PrometheusText.sample(metrics(), "goose_sse_streams_active", "kind=turn"))
        .hasValue(0.0);
    // The provider sends its first chunk and then nothing: the turn stays open until cancelled.
    openai.enqueue(FakeOpenAiServer.text("a", "b").stallAfter(2));
    try (SseClient turn =
            SseClient.post(
                goosed.server.uri(), "/sessions/" + id + "/messages", "{\"content\":\"hi\"}");
        SseClient follow = SseClient.get(goosed.server.uri(), "/sessions/" + id + "/events")) {
      assertThat(turn.next().orElseThrow().name()).isEqualTo("message_chunk");
      assertThat(follow.next()).isPresent();
      String text = metrics();
      assertThat(PrometheusText.sample(text, "goose_sse_streams_active", "kind=turn"))
          .hasValue(1.0);
      assertThat(PrometheusText.sample(text, "goose_sse_streams_active", "kind=follow"))
          .hasValue(1.0);
      assertThat(PrometheusText.sample(text, "goose_turns_active")).hasValue(1.0);
      goosed.client.post("/sessions/" + id + "/cancel", "{}");
      assertThat(turn.untilComplete().getLast().data().get("stop_reason").asText())
          .isEqualTo("cancelled");
    }
    // The turn's stream ends with message_complete; its count drops as the handler returns.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(
                        PrometheusText.sample(metrics(), "goose_sse_streams_active", "kind=turn"))
                    .as("turn stream still counted 10 s after it ended")
                    .hasValue(0.0));
  }

  @Test
  void onlyAdminsReadMetricsWhenAuthIsOn() {
    start(
        Map.of(
            "GOOSE_AUTH",
            "proxy",
            "GOOSE_TRUSTED_PROXIES",
            "127.0.0.1",
            "GOOSE_ADMIN_USERS",
            "ops"));
    assertThat(goosed.client.get("/metrics").status()).isEqualTo(401);
    ApiClient.Response bob =
        goosed.client.send(
            "GET",
            "/metrics",
            java.net.http.HttpRequest.BodyPublishers.noBody(),
            null,
            "X-Remote-User",
            "bob");
    assertThat(bob.status()).isEqualTo(403);
    ApiClient.Response ops =
        goosed.client.send(
            "GET",
            "/metrics",
            java.net.http.HttpRequest.BodyPublishers.noBody(),
            null,
            "X-Remote-User",
            "ops");
    assertThat(ops.status()).isEqualTo(200);
    assertThat(ops.body()).contains("goose_sessions");
  }

  @Test
  void disableTelemetryTurnsMetricsOff() {
    start(Map.of("GOOSE_DISABLE_TELEMETRY", "true"));
    ApiClient.Response r = goosed.client.get("/metrics");
    assertThat(r.error(404, "not_found")).contains("GOOSE_DISABLE_TELEMETRY");
  }
}

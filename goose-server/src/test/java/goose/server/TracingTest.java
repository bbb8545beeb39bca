package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import goose.provider.fake.FakeOpenAiServer;
import goose.server.telemetry.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans of real turns (turn -> provider call, turn -> tool call), caught by an in-memory exporter.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TracingTest {
  @TempDir Path root;
  private final FakeOpenAiServer openai = new FakeOpenAiServer();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private GooseServer server;
  private ApiClient client;

  @BeforeEach
  void start() {
    SdkTracerProvider tracing =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    Map<String, String> env =
        Map.of(
            "GOOSE_PROVIDER",
            "openai",
            "OPENAI_HOST",
            openai.baseUri().toString(),
            "OPENAI_API_KEY",
            "sk-test",
            "max_retries",
            "0");
    server =
        GooseServer.start(
            TestServer.config(root, env), () -> Telemetry.withTracing(tracing, "test"));
    client = new ApiClient(server.uri());
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    openai.close();
  }

  private String session() {
    return client
        .post("/sessions", "{\"cwd\":\"" + root + "\",\"name\":\"t\"}")
        .json()
        .get("id")
        .asText();
  }

  private List<SseClient.Event> turn(String session, String text, String requestId)
      throws Exception {
    try (SseClient sse =
        SseClient.post(
            server.uri(),
            "/sessions/" + session + "/messages",
            "{\"content\":\"" + text + "\"}",
            "X-Request-Id",
            requestId)) {
      return sse.untilComplete();
    }
  }

  private List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  @Test
  void aTurnIsOneTraceWithAProviderCallSpanPerModelResponseAndAToolCallSpan() throws Exception {
    String id = session();
    openai.enqueue(
        FakeOpenAiServer.script()
            .text("Running it.")
            .toolCall(0, "call_1", "developer__shell", "{\"command\":\"echo hi\"}")
            .finishReason("tool_calls")
            .build());
    openai.enqueue(FakeOpenAiServer.script().text("Done.").usage(100, 20).build());
    assertThat(turn(id, "run echo", "req-trace-1").getLast().data().get("stop_reason").asText())
        .isEqualTo("end_turn");

    SpanData turn = named("goose.turn").getFirst();
    assertThat(named("goose.turn")).hasSize(1);
    assertThat(turn.getParentSpanContext().isValid()).isFalse();
    assertThat(turn.getAttributes().get(AttributeKey.stringKey("goose.session.id"))).isEqualTo(id);
    assertThat(turn.getAttributes().get(AttributeKey.stringKey("goose.request_id")))
        .isEqualTo("req-trace-1");
    assertThat(turn.getAttributes().get(AttributeKey.stringKey("goose.stop_reason")))
        .isEqualTo("end_turn");
    assertThat(turn.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(130L);

    List<SpanData> calls = named("goose.provider_call");
    assertThat(calls)
        .hasSize(2)
        .allSatisfy(
            c -> {
              assertThat(c.getParentSpanId()).isEqualTo(turn.getSpanId());
              assertThat(c.getTraceId()).isEqualTo(turn.getTraceId());
              assertThat(c.getAttributes().get(AttributeKey.stringKey("gen_ai.system")))
                  .isEqualTo("openai");
            });
    assertThat(calls)
        .extracting(c -> c.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
        .containsExactly(9L, 20L);

    SpanData tool = named("goose.tool_call").getFirst();
    assertThat(tool.getParentSpanId()).isEqualTo(turn.getSpanId());
    assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")))
        .isEqualTo("developer__shell");
    assertThat(tool.getAttributes().get(AttributeKey.stringKey("goose.extension")))
        .isEqualTo("developer");
    assertThat(tool.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    // The tool ran between the two provider calls.
    assertThat(tool.getStartEpochNanos()).isGreaterThanOrEqualTo(calls.get(0).getEndEpochNanos());
    assertThat(tool.getEndEpochNanos()).isLessThanOrEqualTo(calls.get(1).getStartEpochNanos());
    // No user data in spans: neither the prompt nor the tool's arguments.
    assertThat(spans.getFinishedSpanItems().toString())
        .doesNotContain("run echo")
        .doesNotContain("echo hi");
  }

  @Test
  void aFailedProviderCallIsAnErrorSpanWithItsKindAndStatus() throws Exception {
    String id = session();
    openai.enqueue(FakeOpenAiServer.serverError());
    assertThat(turn(id, "hello", "req-trace-2").getLast().data().get("stop_reason").asText())
        .isEqualTo("error");

    SpanData call = named("goose.provider_call").getFirst();
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(call.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("server");
    assertThat(call.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(500L);
    SpanData turn = named("goose.turn").getFirst();
    assertThat(turn.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(turn.getEvents()).extracting(e -> e.getName()).contains("error: provider_server");
  }
}

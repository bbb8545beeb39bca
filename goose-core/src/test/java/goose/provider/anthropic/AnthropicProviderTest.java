package goose.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.json.Json;
import goose.provider.Drained;
import goose.provider.Provider;
import goose.provider.ProviderContractTest;
import goose.provider.ProviderEvent;
import goose.provider.ProviderException;
import goose.provider.ProviderHttp;
import goose.provider.ProviderRequest;
import goose.provider.ProviderSettings;
import goose.provider.ProviderStream;
import goose.provider.StopReason;
import goose.provider.fake.FakeAnthropicServer;
import goose.provider.fake.FakeHttpServer;
import goose.provider.fake.FakeReply;
import goose.provider.fake.RecordedRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AnthropicProviderTest extends ProviderContractTest {

  @Override
  protected FakeHttpServer newFake() {
    return new FakeAnthropicServer();
  }

  @Override
  protected Provider provider(FakeHttpServer fake, ProviderHttp http) {
    return new AnthropicProvider(
        new ProviderSettings("anthropic", "claude-test", 200_000, http),
        fake.baseUri().toString(),
        API_KEY,
        OptionalInt.empty());
  }

  @Override
  protected FakeReply.Stream text(String... chunks) {
    return FakeAnthropicServer.text(chunks);
  }

  @Override
  protected FakeReply.Stream toolCall(String id, String name, String... argumentFragments) {
    return FakeAnthropicServer.script()
        .text("Let me look.")
        .toolUse(id, name, argumentFragments)
        .build();
  }

  @Override
  protected FakeReply.Status rateLimited(int retryAfterSeconds) {
    return FakeAnthropicServer.rateLimited(retryAfterSeconds);
  }

  @Override
  protected FakeReply.Status serverError() {
    return FakeAnthropicServer.serverError();
  }

  @Override
  protected FakeReply.Status contextTooLong() {
    return FakeAnthropicServer.contextTooLong();
  }

  @Override
  protected JsonNode sentToolSchema(JsonNode body, int index) {
    return body.path("tools").path(index).path("input_schema");
  }

  @Test
  void sendsKeyVersionAndStreamFlag() {
    fake.enqueue(text("ok"));
    Drained.drain(provider().stream(ask("hi")));
    RecordedRequest r = fake.lastRequest();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/messages");
    assertThat(r.header("x-api-key")).contains(API_KEY);
    assertThat(r.header("anthropic-version")).contains("2023-06-01");
    JsonNode body = r.json();
    assertThat(body.path("model").asText()).isEqualTo("claude-test");
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("system").asText()).isEqualTo("You are a test.");
    assertThat(body.path("max_tokens").asInt()).isPositive();
  }

  @Test
  void thinkingAndRedactedThinkingStreamWithSignatureAndUsage() {
    fake.enqueue(
        FakeAnthropicServer.script()
            .usage(100, 40)
            .thinking("sig-abc", "Let me ", "think.")
            .redactedThinking("opaque==")
            .text("Answer")
            .build());
    Drained out = Drained.drain(provider().stream(ask("think")));
    assertThat(out.error()).isEmpty();
    assertThat(out.thinking()).isEqualTo("Let me think.");
    assertThat(out.events())
        .contains(
            new ProviderEvent.ThinkingSignature("sig-abc"),
            new ProviderEvent.RedactedThinking("opaque=="));
    assertThat(out.text()).isEqualTo("Answer");
    assertThat(out.usage()).contains(new TokenUsage(100, 40));
  }

  @Test
  void parallelToolUseBlocksAreEmittedInOrder() {
    fake.enqueue(
        FakeAnthropicServer.script()
            .toolUse("t1", "a", "{\"n\":", "1}")
            .toolUse("t2", "b", "")
            .build());
    Drained out = Drained.drain(provider().stream(ask("two")));
    assertThat(out.toolCalls()).extracting(ProviderEvent.ToolCall::id).containsExactly("t1", "t2");
    assertThat(out.toolCalls().get(1).arguments()).isEqualTo(Json.object());
  }

  @Test
  void conversationIsMappedWithToolResultsImagesAndSignedThinking() {
    fake.enqueue(text("done"));
    Message assistant =
        Message.assistant(
            List.of(
                new Content.Thinking("hmm", "sig-1"),
                new Content.Thinking("unsigned", ""),
                new Content.RedactedThinking("xyz"),
                new Content.Text(""),
                new Content.ToolRequest("tu_1", "look", Json.object().put("at", "x"))),
            TokenUsage.ZERO);
    Message results =
        Message.user(
            List.of(
                new Content.ToolResponse(
                    "tu_1",
                    List.of(new Content.Text("seen"), new Content.Image("iVBOR", "image/png")),
                    true)));
    Message user =
        Message.user(List.of(new Content.Text("and this"), new Content.Image("R0lG", "image/gif")));
    ProviderRequest request =
        new ProviderRequest(
            "sys", List.of(Message.user("go"), assistant, results, user), List.of());
    Drained.drain(provider().stream(request));
    JsonNode messages = fake.lastRequest().json().path("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.get(1))
        .isEqualTo(
            Json.parse(
                """
        {"role":"assistant","content":[
          {"type":"thinking","thinking":"hmm","signature":"sig-1"},
          {"type":"redacted_thinking","data":"xyz"},
          {"type":"tool_use","id":"tu_1","name":"look","input":{"at":"x"}}]}"""));
    assertThat(messages.get(2))
        .isEqualTo(
            Json.parse(
                """
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"tu_1","content":[
          {"type":"text","text":"seen"},
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}}],"is_error":true}]}"""));
    assertThat(messages.get(3).path("content").get(1).path("source").path("media_type").asText())
        .isEqualTo("image/gif");
  }

  @Test
  void thinkingBudgetEnablesExtendedThinking() {
    fake.enqueue(text("ok"));
    Provider p =
        new AnthropicProvider(
            new ProviderSettings(
                "anthropic", "claude-test", 200_000, http(Duration.ofSeconds(5), 0)),
            fake.baseUri().toString(),
            API_KEY,
            OptionalInt.of(4000));
    Drained.drain(p.stream(ask("hi")));
    JsonNode body = fake.lastRequest().json();
    assertThat(body.path("thinking"))
        .isEqualTo(Json.parse("{\"type\":\"enabled\",\"budget_tokens\":4000}"));
    assertThat(body.path("max_tokens").asInt()).isGreaterThan(4000);
  }

  @Test
  void overloadedErrorEventBeforeOutputIsRetried() {
    FakeReply.Stream overloaded =
        FakeReply.Stream.of(
            "text/event-stream",
            List.of(
                "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
    fake.enqueue(overloaded);
    fake.enqueue(text("fine"));
    Drained out = Drained.drain(provider().stream(ask("hi")));
    assertThat(out.error()).isEmpty();
    assertThat(out.text()).isEqualTo("fine");
  }

  @Test
  void streamEndingBeforeMessageStopIsAProtocolError() {
    FakeReply.Stream full = text("cut");
    List<String> writes = new ArrayList<>();
    for (byte[] w : full.writes().subList(0, full.writes().size() - 2))
      writes.add(new String(w, java.nio.charset.StandardCharsets.UTF_8));
    fake.enqueue(FakeReply.Stream.of("text/event-stream", writes));
    Drained out = Drained.drain(provider().stream(ask("hi")));
    assertThat(out.failure().kind()).isEqualTo(ProviderException.Kind.PROTOCOL);
    assertThat(out.text()).isEqualTo("cut");
  }

  @Test
  void maxTokensStopReasonIsReported() {
    fake.enqueue(FakeAnthropicServer.script().text("trunc").stopReason("max_tokens").build());
    assertThat(Drained.drain(provider().stream(ask("hi"))).stop()).contains(StopReason.MAX_TOKENS);
  }

  @Test
  void overloaded529IsRetried() {
    fake.enqueue(FakeAnthropicServer.overloaded());
    fake.enqueue(text("ok"));
    try (ProviderStream s = provider().stream(ask("hi"))) {
      assertThat(s.hasNext()).isTrue();
    }
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void connectionRefusedIsRetriedThenANetworkError() throws IOException {
    // A port bound by a socket that never listens: every connection to it is refused, and no other
    // process can take it meanwhile (a closed fake's port was once reused during the retries on a
    // busy machine, and the answer was a PROTOCOL error).
    try (Socket reserved = new Socket()) {
      reserved.bind(new InetSocketAddress("127.0.0.1", 0));
      String refusing = "http://127.0.0.1:" + reserved.getLocalPort();
      Provider provider =
          new AnthropicProvider(
              new ProviderSettings(
                  "anthropic", "claude-test", 200_000, http(Duration.ofSeconds(5), 3)),
              refusing,
              API_KEY,
              OptionalInt.empty());
      ProviderException e = Drained.drain(provider.stream(ask("hi"))).failure();
      assertThat(e.kind()).isEqualTo(ProviderException.Kind.NETWORK);
      assertThat(e.getMessage()).contains("after 3 retries").doesNotContain("\n");
    }
  }

  @Test
  void aKeyTheHttpClientRefusesIsAClearErrorWithoutTheKey() {
    Provider p =
        new AnthropicProvider(
            new ProviderSettings(
                "anthropic", "claude-test", 200_000, http(Duration.ofSeconds(5), 0)),
            fake.baseUri().toString(),
            "sk-bad\nkey",
            OptionalInt.empty());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.stream(ask("hi")))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ProviderException.Kind.BAD_REQUEST);
              assertThat(e.getMessage())
                  .contains("check the configured key")
                  .doesNotContain("sk-bad");
            });
  }

  @Test
  void emptyToolResultIsSentWithoutContent() {
    fake.enqueue(text("ok"));
    Message call =
        Message.assistant(
            List.of(new Content.ToolRequest("tu_2", "touch", Json.object())), TokenUsage.ZERO);
    Message result = Message.user(List.of(new Content.ToolResponse("tu_2", List.of(), false)));
    Drained.drain(
        provider().stream(
            new ProviderRequest("", List.of(Message.user("go"), call, result), List.of())));
    assertThat(fake.lastRequest().json().path("messages").get(2).path("content").get(0))
        .isEqualTo(Json.parse("{\"type\":\"tool_result\",\"tool_use_id\":\"tu_2\"}"));
  }
}

package goose.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.json.Json;
import goose.provider.Drained;
import goose.provider.Provider;
import goose.provider.ProviderEvent;
import goose.provider.ProviderException;
import goose.provider.ProviderHttp;
import goose.provider.ProviderRequest;
import goose.provider.ProviderSettings;
import goose.provider.StopReason;
import goose.provider.fake.FakeHttpServer;
import goose.provider.fake.FakeOpenAiServer;
import goose.provider.fake.FakeReply;
import goose.provider.fake.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiProviderTest extends OpenAiCompatibleContractTest {

  @Override
  protected Provider provider(FakeHttpServer fake, ProviderHttp http) {
    OpenAiEndpoint endpoint =
        OpenAiEndpoint.bearer(
            fake.baseUri().resolve("/v1/chat/completions"),
            Optional.of(API_KEY),
            Map.of("openai-organization", "org-1", "openai-project", "proj-1"),
            "max_completion_tokens");
    return new OpenAiProvider(new ProviderSettings("openai", "gpt-test", 128_000, http), endpoint);
  }

  @Test
  void sendsBearerKeyOrganizationProjectAndAsksForUsage() {
    fake.enqueue(text("ok"));
    Drained.drain(
        provider().stream(new ProviderRequest("sys", List.of(Message.user("hi")), List.of(), 500)));
    RecordedRequest r = fake.lastRequest();
    assertThat(r.path()).isEqualTo("/v1/chat/completions");
    assertThat(r.header("authorization")).contains("Bearer " + API_KEY);
    assertThat(r.header("openai-organization")).contains("org-1");
    assertThat(r.header("openai-project")).contains("proj-1");
    JsonNode body = r.json();
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(500);
    assertThat(body.path("messages").get(0))
        .isEqualTo(Json.parse("{\"role\":\"system\",\"content\":\"sys\"}"));
  }

  @Test
  void usageComesFromTheFinalChunk() {
    fake.enqueue(FakeOpenAiServer.script().text("x").usage(321, 54).build());
    assertThat(Drained.drain(provider().stream(ask("hi"))).usage())
        .contains(new TokenUsage(321, 54));
  }

  @Test
  void interleavedParallelToolCallsAreAccumulatedByIndex() {
    fake.enqueue(
        FakeOpenAiServer.script()
            .toolCall(0, "call_a", "first", "{\"x\":")
            .toolCall(1, "call_b", "second", "{\"y\":")
            .toolArguments(0, " 1}")
            .toolArguments(1, " 2}")
            .build());
    Drained out = Drained.drain(provider().stream(ask("both")));
    assertThat(out.error()).isEmpty();
    assertThat(out.toolCalls())
        .containsExactly(
            new ProviderEvent.ToolCall(
                "call_a",
                "first",
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse("{\"x\":1}")),
            new ProviderEvent.ToolCall(
                "call_b",
                "second",
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse("{\"y\":2}")));
    assertThat(out.stop()).contains(StopReason.TOOL_USE);
  }

  @Test
  void reasoningContentBecomesThinking() {
    fake.enqueue(FakeOpenAiServer.script().reasoning("weigh ", "options").text("answer").build());
    Drained out = Drained.drain(provider().stream(ask("hi")));
    assertThat(out.thinking()).isEqualTo("weigh options");
    assertThat(out.text()).isEqualTo("answer");
  }

  @Test
  void toolResultsFollowTheAssistantCallAsToolMessages() {
    fake.enqueue(text("ok"));
    Message call =
        Message.assistant(
            List.of(
                new Content.Text("checking"),
                new Content.ToolRequest("call_9", "ls", Json.object().put("dir", "/"))),
            TokenUsage.ZERO);
    Message result =
        Message.user(
            List.of(
                new Content.ToolResponse(
                    "call_9",
                    List.of(new Content.Text("a b"), new Content.Image("iVBOR", "image/png")),
                    false)));
    Drained.drain(
        provider().stream(
            new ProviderRequest("", List.of(Message.user("list"), call, result), List.of())));
    JsonNode messages = fake.lastRequest().json().path("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.get(1))
        .isEqualTo(
            Json.parse(
                """
        {"role":"assistant","content":"checking","tool_calls":[
          {"id":"call_9","type":"function","function":{"name":"ls","arguments":"{\\"dir\\":\\"/\\"}"}}]}"""));
    assertThat(messages.get(2))
        .isEqualTo(
            Json.parse("{\"role\":\"tool\",\"tool_call_id\":\"call_9\",\"content\":\"a b\"}"));
    assertThat(messages.get(3).path("content").get(0).path("image_url").path("url").asText())
        .isEqualTo("data:image/png;base64,iVBOR");
  }

  @Test
  void errorObjectInsideTheStreamIsReported() {
    fake.enqueue(
        FakeReply.Stream.of(
            "text/event-stream",
            List.of(
                "data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n")));
    fake.enqueue(
        FakeReply.Stream.of(
            "text/event-stream",
            List.of(
                "data: {\"error\":{\"message\":\"bad tool schema\",\"type\":\"invalid_request_error\"}}\n\n")));
    ProviderException e = Drained.drain(provider().stream(ask("hi"))).failure();
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.BAD_REQUEST);
    assertThat(e.getMessage()).contains("bad tool schema");
    assertThat(fake.requests()).as("the server error before any output was retried").hasSize(2);
  }

  @Test
  void streamWithoutFinishReasonIsAProtocolError() {
    fake.enqueue(
        FakeReply.Stream.of(
            "text/event-stream",
            List.of(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half\"},\"finish_reason\":null}]}\n\n")));
    Drained out = Drained.drain(provider().stream(ask("hi")));
    assertThat(out.text()).isEqualTo("half");
    assertThat(out.failure().kind()).isEqualTo(ProviderException.Kind.PROTOCOL);
  }

  @Test
  void invalidToolArgumentsAreAProtocolError() {
    fake.enqueue(FakeOpenAiServer.script().toolCall(0, "c", "t", "{\"unterminated").build());
    assertThat(Drained.drain(provider().stream(ask("hi"))).failure().kind())
        .isEqualTo(ProviderException.Kind.PROTOCOL);
  }
}

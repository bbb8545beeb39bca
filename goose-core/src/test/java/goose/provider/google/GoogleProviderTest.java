package goose.provider.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.json.Json;
import goose.provider.Drained;
import goose.provider.Provider;
import goose.provider.ProviderContractTest;
import goose.provider.ProviderHttp;
import goose.provider.ProviderRequest;
import goose.provider.ProviderSettings;
import goose.provider.StopReason;
import goose.provider.fake.FakeGoogleServer;
import goose.provider.fake.FakeHttpServer;
import goose.provider.fake.FakeReply;
import goose.provider.fake.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoogleProviderTest extends ProviderContractTest {

  @Override
  protected FakeHttpServer newFake() {
    return new FakeGoogleServer();
  }

  @Override
  protected Provider provider(FakeHttpServer fake, ProviderHttp http) {
    return new GoogleProvider(
        new ProviderSettings("google", "gemini-test", 1_000_000, http),
        fake.baseUri().toString(),
        API_KEY);
  }

  @Override
  protected FakeReply.Stream text(String... chunks) {
    return FakeGoogleServer.text(chunks);
  }

  /** Gemini sends a call whole in one event; the event itself is cut into small TCP writes. */
  @Override
  protected FakeReply.Stream toolCall(String id, String name, String... argumentFragments) {
    ObjectNode args = (ObjectNode) Json.parse(String.join("", argumentFragments));
    return FakeGoogleServer.script()
        .text("Let me look.")
        .functionCall(name, args)
        .build()
        .rechunked(7);
  }

  @Override
  protected boolean toolCallIdsFromApi() {
    return false;
  }

  @Override
  protected FakeReply.Status rateLimited(int retryAfterSeconds) {
    return FakeGoogleServer.rateLimited(retryAfterSeconds);
  }

  @Override
  protected FakeReply.Status serverError() {
    return FakeGoogleServer.serverError();
  }

  @Override
  protected FakeReply.Status contextTooLong() {
    return FakeGoogleServer.contextTooLong();
  }

  @Override
  protected JsonNode sentToolSchema(JsonNode body, int index) {
    return body.path("tools")
        .path(0)
        .path("functionDeclarations")
        .path(index)
        .path("parametersJsonSchema");
  }

  @Test
  void postsToStreamGenerateContentWithTheKeyHeader() {
    fake.enqueue(text("ok"));
    Drained.drain(provider().stream(ask("hi")));
    RecordedRequest r = fake.lastRequest();
    assertThat(r.path()).isEqualTo("/v1beta/models/gemini-test:streamGenerateContent");
    assertThat(r.query()).contains("alt=sse");
    assertThat(r.header("x-goog-api-key")).contains(API_KEY);
    assertThat(r.json().path("systemInstruction").path("parts").get(0).path("text").asText())
        .isEqualTo("You are a test.");
  }

  @Test
  void usageAndThoughtsAreRead() {
    fake.enqueue(
        FakeGoogleServer.script().thought("pondering").text("a", "b").usage(50, 8).build());
    Drained out = Drained.drain(provider().stream(ask("hi")));
    assertThat(out.thinking()).isEqualTo("pondering");
    assertThat(out.text()).isEqualTo("ab");
    assertThat(out.usage()).contains(new TokenUsage(50, 8));
    assertThat(out.stop()).contains(StopReason.END_TURN);
  }

  @Test
  void implicitCacheReadsAreReadAndTheOutputBudgetIsSent() {
    fake.enqueue(FakeGoogleServer.script().text("a").usage(12_000, 8).cachedTokens(10_000).build());
    Drained out =
        Drained.drain(
            provider().stream(
                new goose.provider.ProviderRequest(
                    "sys",
                    java.util.List.of(goose.conversation.Message.user("hi")),
                    java.util.List.of(),
                    65_536,
                    java.util.Optional.of("session-1"))));
    assertThat(out.usage()).contains(new TokenUsage(12_000, 8, 10_000, 0));
    assertThat(fake.lastRequest().json().path("generationConfig").path("maxOutputTokens").asInt())
        .isEqualTo(65_536);
    // Gemini's explicit caches (cachedContents) are not used yet: no cache hint is sent.
    assertThat(fake.lastRequest().body()).doesNotContain("session-1");
  }

  @Test
  void functionResponsesCarryTheFunctionName() {
    fake.enqueue(text("ok"));
    Message call =
        Message.assistant(
            List.of(
                new Content.ToolRequest("call_1", "weather", Json.object().put("city", "Oslo"))),
            TokenUsage.ZERO);
    Message result =
        Message.user(
            List.of(new Content.ToolResponse("call_1", List.of(new Content.Text("rain")), false)));
    Drained.drain(
        provider().stream(
            new ProviderRequest("", List.of(Message.user("weather?"), call, result), List.of())));
    JsonNode contents = fake.lastRequest().json().path("contents");
    assertThat(contents.get(1).path("role").asText()).isEqualTo("model");
    assertThat(contents.get(1).path("parts").get(0).path("functionCall"))
        .isEqualTo(Json.parse("{\"name\":\"weather\",\"args\":{\"city\":\"Oslo\"}}"));
    assertThat(contents.get(2).path("parts").get(0).path("functionResponse"))
        .isEqualTo(Json.parse("{\"name\":\"weather\",\"response\":{\"result\":\"rain\"}}"));
  }
}

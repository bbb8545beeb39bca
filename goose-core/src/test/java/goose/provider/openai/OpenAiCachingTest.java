package goose.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.provider.Drained;
import goose.provider.Provider;
import goose.provider.ProviderEvent;
import goose.provider.ProviderException;
import goose.provider.ProviderHttp;
import goose.provider.ProviderRequest;
import goose.provider.ProviderSettings;
import goose.provider.RetryPolicy;
import goose.provider.StopReason;
import goose.provider.fake.FakeOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OpenAI-compatible prompt caching and output budget: {@code prompt_cache_key} where the endpoint
 * takes it, cached tokens read from usage, a tool call cut by {@code length} dropped.
 */
class OpenAiCachingTest {
  final FakeOpenAiServer fake = new FakeOpenAiServer();

  @AfterEach
  void close() {
    fake.close();
  }

  Provider provider(boolean promptCacheKey) {
    OpenAiEndpoint endpoint =
        OpenAiEndpoint.bearer(
                fake.baseUri().resolve("/v1/chat/completions"),
                Optional.of("sk-test"),
                Map.of(),
                "max_completion_tokens")
            .withPromptCacheKey(promptCacheKey);
    ProviderHttp http = ProviderHttp.create(Duration.ofSeconds(10), RetryPolicy.of(0));
    return new OpenAiProvider(new ProviderSettings("openai", "gpt-5", 400_000, http), endpoint);
  }

  static ProviderRequest request(Optional<String> cacheKey) {
    return new ProviderRequest("sys", List.of(Message.user("hi")), List.of(), 128_000, cacheKey);
  }

  JsonNode send(Provider provider, ProviderRequest request) {
    fake.enqueue(FakeOpenAiServer.text("ok"));
    Drained.drain(provider.stream(request));
    return fake.lastRequest().json();
  }

  @Test
  void theSessionIdIsThePromptCacheKeyWhereTheEndpointTakesIt() {
    JsonNode body = send(provider(true), request(Optional.of("0193-session")));
    assertThat(body.path("prompt_cache_key").asText()).isEqualTo("0193-session");
    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(128_000);
    assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");

    assertThat(send(provider(false), request(Optional.of("0193-session"))).has("prompt_cache_key"))
        .isFalse();
    assertThat(send(provider(true), request(Optional.empty())).has("prompt_cache_key")).isFalse();
  }

  @Test
  void cachedTokensAreReadAsCacheReads() {
    fake.enqueue(
        FakeOpenAiServer.script().text("x").usage(20_000, 30).cachedTokens(18_944).build());
    Drained out = Drained.drain(provider(true).stream(request(Optional.of("s"))));

    assertThat(out.usage()).contains(new TokenUsage(20_000, 30, 18_944, 0));
  }

  @Test
  void aToolCallCutByTheLengthLimitIsDroppedAndTheCutReported() {
    fake.enqueue(
        FakeOpenAiServer.script()
            .toolCall(0, "call_1", "developer__shell", "{\"command\":\"ls\"}")
            .toolCall(1, "call_2", "developer__text_editor", "{\"command\":\"write\",\"file_t")
            .finishReason("length")
            .build());
    Drained out = Drained.drain(provider(true).stream(request(Optional.empty())));

    assertThat(out.error()).isEmpty();
    assertThat(out.toolCalls()).extracting(ProviderEvent.ToolCall::id).containsExactly("call_1");
    assertThat(out.stop()).contains(StopReason.MAX_TOKENS);
  }

  @Test
  void brokenArgumentsWithoutTheCutAreStillAProtocolError() {
    fake.enqueue(
        FakeOpenAiServer.script()
            .toolCall(0, "call_1", "developer__shell", "{\"command\":")
            .finishReason("tool_calls")
            .build());
    Drained out = Drained.drain(provider(true).stream(request(Optional.empty())));

    assertThat(out.failure().kind()).isEqualTo(ProviderException.Kind.PROTOCOL);
  }
}

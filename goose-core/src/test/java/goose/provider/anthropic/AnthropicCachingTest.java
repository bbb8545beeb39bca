package goose.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.json.Json;
import goose.provider.Drained;
import goose.provider.ModelLimits;
import goose.provider.Provider;
import goose.provider.ProviderEvent;
import goose.provider.ProviderException;
import goose.provider.ProviderHttp;
import goose.provider.ProviderRequest;
import goose.provider.ProviderSettings;
import goose.provider.RetryPolicy;
import goose.provider.StopReason;
import goose.provider.fake.FakeAnthropicServer;
import goose.tool.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What Anthropic is sent for prompt caching and the output budget, and how its cache counts and a
 * reply cut by the budget are read.
 */
class AnthropicCachingTest {
  final FakeAnthropicServer fake = new FakeAnthropicServer();

  @AfterEach
  void close() {
    fake.close();
  }

  Provider provider(String model, OptionalInt thinking) {
    ProviderHttp http = ProviderHttp.create(Duration.ofSeconds(10), RetryPolicy.of(0));
    return new AnthropicProvider(
        new ProviderSettings("anthropic", model, 200_000, http),
        fake.baseUri().toString(),
        "sk-test",
        thinking);
  }

  static ToolSpec tool(String name) {
    return new ToolSpec(name, "a tool", (ObjectNode) Json.parse("{\"type\":\"object\"}"), false);
  }

  /** A tool loop two steps in: user text, a call, its result, another call, its result. */
  static List<Message> loop() {
    List<Message> view = new ArrayList<>();
    view.add(Message.user("list the files"));
    for (int i = 1; i <= 2; i++) {
      view.add(
          Message.assistant(
              List.of(new Content.ToolRequest("c" + i, "developer__shell", Json.object())),
              TokenUsage.ZERO));
      view.add(
          Message.user(
              List.of(
                  new Content.ToolResponse(
                      "c" + i, List.of(new Content.Text("out " + i)), false))));
    }
    return view;
  }

  JsonNode send(Provider provider, ProviderRequest request) {
    fake.enqueue(FakeAnthropicServer.text("ok"));
    Drained.drain(provider.stream(request));
    return fake.lastRequest().json();
  }

  @Test
  void fourBreakpointsSystemLastToolAndTheTwoNewestUserMessages() {
    JsonNode body =
        send(
            provider("claude-sonnet-4-5", OptionalInt.empty()),
            new ProviderRequest(
                "You are goose.",
                loop(),
                List.of(tool("a__one"), tool("a__two")),
                64_000,
                Optional.of("session-1")));

    assertThat(body.path("system"))
        .isEqualTo(
            Json.parse(
                "[{\"type\":\"text\",\"text\":\"You are goose.\",\"cache_control\":{\"type\":\"ephemeral\"}}]"));
    assertThat(body.path("tools").get(0).has("cache_control")).isFalse();
    assertThat(body.path("tools").get(1).path("cache_control"))
        .isEqualTo(Json.parse("{\"type\":\"ephemeral\"}"));
    JsonNode messages = body.path("messages");
    List<Integer> marked = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode blocks = messages.get(i).path("content");
      for (int b = 0; b < blocks.size(); b++) {
        if (blocks.get(b).has("cache_control")) {
          marked.add(i);
          assertThat(b).as("only the last block of a message").isEqualTo(blocks.size() - 1);
        }
      }
    }
    assertThat(marked).containsExactly(2, 4); // the two newest user messages (tool results)
    assertThat(body.toString().split("\"cache_control\"", -1)).hasSize(5); // four in all
  }

  @Test
  void withoutACacheKeyNothingIsMarked() {
    JsonNode body =
        send(
            provider("claude-sonnet-4-5", OptionalInt.empty()),
            new ProviderRequest("sys", loop(), List.of(tool("a__one")), 0, Optional.empty()));

    assertThat(body.toString()).doesNotContain("cache_control");
    assertThat(body.path("system").asText()).isEqualTo("sys");
  }

  @Test
  void maxTokensComesFromTheRequestElseTheModelTable() {
    assertThat(
            send(
                    provider("claude-sonnet-4-5", OptionalInt.empty()),
                    new ProviderRequest("s", loop(), List.of()))
                .path("max_tokens")
                .asInt())
        .isEqualTo(64_000)
        .isEqualTo(ModelLimits.maxOutputTokens("claude-sonnet-4-5"));
    assertThat(
            send(
                    provider("claude-opus-4-1", OptionalInt.empty()),
                    new ProviderRequest("s", loop(), List.of()))
                .path("max_tokens")
                .asInt())
        .isEqualTo(32_000);
    assertThat(
            send(
                    provider("claude-sonnet-4-5", OptionalInt.empty()),
                    new ProviderRequest("s", loop(), List.of(), 1_000))
                .path("max_tokens")
                .asInt())
        .isEqualTo(1_000);
  }

  @Test
  void theThinkingBudgetFitsInsideALargeOutputBudget() {
    JsonNode body =
        send(
            provider("claude-sonnet-4-5", OptionalInt.of(16_000)),
            new ProviderRequest("s", loop(), List.of(), 64_000));
    assertThat(body.path("max_tokens").asInt()).isEqualTo(64_000);
    assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(16_000);

    JsonNode small =
        send(
            provider("claude-sonnet-4-5", OptionalInt.of(16_000)),
            new ProviderRequest("s", loop(), List.of(), 100));
    assertThat(small.path("max_tokens").asInt()).isEqualTo(16_100);
  }

  @Test
  void cacheReadsAndWritesAreReadBesideTheInput() {
    fake.enqueue(
        FakeAnthropicServer.script().usage(300, 40).cache(18_000, 1_200).text("hi").build());
    Drained out =
        Drained.drain(
            provider("claude-sonnet-4-5", OptionalInt.empty()).stream(
                new ProviderRequest("s", loop(), List.of())));

    assertThat(out.usage()).contains(new TokenUsage(19_500, 40, 18_000, 1_200));
  }

  @Test
  void aToolCallCutOffByMaxTokensIsDroppedAndTheCutReported() {
    fake.enqueue(
        FakeAnthropicServer.script()
            .toolUse("t1", "developer__shell", "{\"command\":\"ls\"}")
            .toolUse("t2", "developer__text_editor", "{\"command\":\"write\",\"file_text\":\"abc")
            .stopReason("max_tokens")
            .build());
    Drained out =
        Drained.drain(
            provider("claude-sonnet-4-5", OptionalInt.empty()).stream(
                new ProviderRequest("s", loop(), List.of())));

    assertThat(out.error()).isEmpty();
    assertThat(out.toolCalls()).extracting(ProviderEvent.ToolCall::id).containsExactly("t1");
    assertThat(out.stop()).contains(StopReason.MAX_TOKENS);
  }

  @Test
  void brokenToolInputWithoutTheCutIsStillAProtocolError() {
    fake.enqueue(
        FakeAnthropicServer.script().toolUse("t2", "developer__shell", "{\"command\":").build());
    Drained out =
        Drained.drain(
            provider("claude-sonnet-4-5", OptionalInt.empty()).stream(
                new ProviderRequest("s", loop(), List.of())));

    assertThat(out.failure().kind()).isEqualTo(ProviderException.Kind.PROTOCOL);
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import goose.extension.TestServers;
import goose.json.Json;
import goose.pricing.PriceTable;
import goose.provider.fake.FakeAnthropicServer;
import goose.provider.fake.FakeGoogleServer;
import goose.provider.fake.FakeHttpServer;
import goose.provider.fake.FakeOpenAiServer;
import goose.provider.fake.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the model is sent, per provider, as recorded by a fake provider speaking each wire format,
 * through the real server with a real MCP server (server-everything, which sends instructions in
 * {@code initialize}): the system prompt with the extensions' instructions, the turn context, cache
 * breakpoints or key, the output budget; then what comes back into the session: cache counts and
 * cost, a cut 10,000-line shell output, a title after the first exchange.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelRequestsTest {
  @TempDir Path root;
  TestServer goosed;
  FakeHttpServer fake;

  @AfterEach
  void stop() {
    if (goosed != null) goosed.close();
    if (fake != null) fake.close();
  }

  TestServer start(Map<String, String> provider) throws Exception {
    Path config = Files.createDirectories(root.resolve("config"));
    Files.writeString(
        config.resolve("config.yaml"),
        "extensions:\n  everything:\n    type: stdio\n    enabled: true\n    cmd: node\n    args: ["
            + Json.write(Json.MAPPER.valueToTree(TestServers.everythingJs()))
            + ", \"stdio\"]\n    timeout: 60\n");
    Map<String, String> env = new HashMap<>(provider);
    env.putIfAbsent("GOOSE_SESSION_TITLES", "true"); // the Google test turns them off
    goosed = TestServer.start(root, env);
    return goosed;
  }

  String newSession(String nameJson) throws Exception {
    Path work = Files.createDirectories(root.resolve("work"));
    return goosed
        .client
        .post(
            "/sessions",
            "{\"cwd\":" + Json.write(Json.MAPPER.valueToTree(work.toString())) + nameJson + "}")
        .json()
        .get("id")
        .asText();
  }

  List<SseClient.Event> turn(String sessionId, String text) throws Exception {
    try (SseClient sse =
        SseClient.post(
            goosed.server.uri(),
            "/sessions/" + sessionId + "/messages",
            "{\"content\":" + Json.write(Json.MAPPER.valueToTree(text)) + "}")) {
      return sse.untilComplete();
    }
  }

  static long breakpoints(JsonNode body) {
    String json = body.toString();
    return (long) (json.length() - json.replace("\"cache_control\"", "").length())
        / "\"cache_control\"".length();
  }

  @Test
  void anthropicGetsInstructionsTurnContextBreakpointsBudgetAndTheSessionItsTitle()
      throws Exception {
    fake = new FakeAnthropicServer();
    start(
        Map.of(
            "GOOSE_PROVIDER", "anthropic",
            "ANTHROPIC_HOST", fake.baseUri().toString(),
            "ANTHROPIC_API_KEY", "sk-ant",
            "GOOSE_MODEL", "claude-sonnet-4-5"));
    String session = newSession("");
    fake.enqueue(
        FakeAnthropicServer.script()
            .usage(40, 30)
            .cache(0, 18_000)
            .toolUse("toolu_1", "developer__shell", "{\"command\":\"seq 1 10000\"}")
            .build());
    fake.enqueue(
        FakeAnthropicServer.script().usage(60, 12).cache(18_000, 900).text("Counted.").build());
    fake.enqueue(FakeAnthropicServer.text("Counting to ten thousand"));

    List<SseClient.Event> events = turn(session, "Count to ten thousand in the shell.");

    List<RecordedRequest> sent = fake.awaitRequests(2, Duration.ofSeconds(30));
    JsonNode first = sent.get(0).json();
    JsonNode second = sent.get(1).json();
    assertThat(first.path("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(first.path("max_tokens").asInt()).isEqualTo(64_000);
    // The system prompt: one cached block with every active extension's instructions.
    JsonNode system = first.path("system");
    assertThat(system).hasSize(1);
    assertThat(system.get(0).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
    String prompt = system.get(0).path("text").asText();
    assertThat(prompt)
        .contains("# Turn Context", "# Extensions", "## developer", "## everything", "## todo")
        .contains("Everything Server", "get-roots-list") // server-everything's own instructions
        .contains("text_editor") // the developer built-in's
        .contains("# Response Guidelines");
    assertThat(second.path("system")).isEqualTo(system); // stable: the prefix caches
    // The tools, the last one a breakpoint.
    JsonNode tools = first.path("tools");
    assertThat(tools.findValuesAsText("name")).contains("developer__shell", "everything__echo");
    assertThat(tools.get(tools.size() - 1).has("cache_control")).isTrue();
    assertThat(second.path("tools")).isEqualTo(tools);
    // The user's words, then the turn context; the newest user messages are breakpoints.
    JsonNode userMessage = first.path("messages").get(0).path("content");
    assertThat(userMessage.get(0).path("text").asText())
        .isEqualTo("Count to ten thousand in the shell.");
    assertThat(userMessage.get(1).path("text").asText())
        .startsWith("<turn-context>\n<current-time>")
        .contains(
            "<working-directory>" + root.resolve("work").toRealPath() + "</working-directory>")
        .contains("<turn-budget>up to 1000 model calls in this turn</turn-budget>");
    assertThat(userMessage.get(1).has("cache_control")).isTrue();
    assertThat(breakpoints(first)).isEqualTo(3); // system, tools, the only user message
    assertThat(second.path("messages").get(0)).isEqualTo(first.path("messages").get(0));
    assertThat(breakpoints(second)).isEqualTo(4);
    // The shell's 10,000 lines reached the model cut, with the path of the whole output.
    JsonNode result = second.path("messages").get(2).path("content").get(0);
    assertThat(result.path("type").asText()).isEqualTo("tool_result");
    String output = result.path("content").get(0).path("text").asText();
    assertThat(output)
        .startsWith("1\n2\n")
        .contains("[... output truncated: 10000 lines (48894 bytes) in all; lines 1001 to 9000")
        .endsWith("9999\n10000\n");
    assertThat(output.lines().count()).isEqualTo(2001);
    Matcher saved = Pattern.compile("saved in (\\S+):").matcher(output);
    assertThat(saved.find()).isTrue();
    Path file = Path.of(saved.group(1));
    assertThat(file).startsWith(root.resolve("work").toRealPath().resolve(".goose/shell-output"));
    assertThat(Files.readAllLines(file)).hasSize(10_000);
    assertThat(result.has("cache_control")).isTrue();

    // Usage per call and for the turn, with cache counts and the estimated cost.
    List<JsonNode> usage =
        events.stream().filter(e -> e.name().equals("usage")).map(SseClient.Event::data).toList();
    assertThat(usage)
        .extracting(u -> u.path("stop_reason").asText())
        .containsExactly("tool_use", "end_turn");
    assertThat(usage.get(1).path("usage").path("cache_read_input_tokens").asLong())
        .isEqualTo(18_000);
    double cost =
        PriceTable.builtIn()
                .price("claude-sonnet-4-5")
                .orElseThrow()
                .cost(new goose.conversation.TokenUsage(18_040, 30, 0, 18_000))
            + PriceTable.builtIn()
                .price("claude-sonnet-4-5")
                .orElseThrow()
                .cost(new goose.conversation.TokenUsage(18_960, 12, 18_000, 900));
    JsonNode complete = events.getLast().data();
    assertThat(complete.path("cost_usd").asDouble()).isCloseTo(cost, within(1e-9));
    JsonNode detail = goosed.client.get("/sessions/" + session).json();
    assertThat(detail.path("total_usage").path("input_tokens").asLong()).isEqualTo(37_000);
    assertThat(detail.path("total_usage").path("cache_read_input_tokens").asLong())
        .isEqualTo(18_000);
    assertThat(detail.path("total_usage").path("cache_creation_input_tokens").asLong())
        .isEqualTo(18_900);
    assertThat(detail.path("total_cost_usd").asDouble()).isCloseTo(cost, within(1e-9));

    // After the first exchange: a title, written to the store and pushed as session_renamed.
    SseClient.Event renamed = awaitEvent(session, "session_renamed");
    assertThat(renamed.data().path("name").asText()).isEqualTo("Counting to ten thousand");
    JsonNode titled = goosed.client.get("/sessions/" + session).json();
    assertThat(titled.path("name").asText()).isEqualTo("Counting to ten thousand");
    assertThat(titled.path("name_source").asText()).isEqualTo("generated");
    JsonNode titleRequest = fake.requests().get(2).json();
    assertThat(titleRequest.has("tools")).isFalse();
    assertThat(breakpoints(titleRequest)).isZero();
    assertThat(titleRequest.path("messages").get(0).path("content").get(0).path("text").asText())
        .contains("Count to ten thousand in the shell.", "Counted.");
  }

  @Test
  void openAiGetsThePromptCacheKeyAndTheTurnContextInTheUserMessage() throws Exception {
    fake = new FakeOpenAiServer();
    start(
        Map.of(
            "GOOSE_PROVIDER", "openai",
            "OPENAI_HOST", fake.baseUri().toString(),
            "OPENAI_API_KEY", "sk-test",
            "GOOSE_MODEL", "gpt-4.1",
            "OPENAI_PROMPT_CACHE_KEY", "true"));
    String session = newSession(",\"name\":\"Mine\"");
    fake.enqueue(
        FakeOpenAiServer.script().text("Hi.").usage(21_000, 5).cachedTokens(19_968).build());

    turn(session, "hello");

    JsonNode body = fake.lastRequest().json();
    assertThat(body.path("prompt_cache_key").asText()).isEqualTo(session);
    assertThat(body.path("max_tokens").asInt()).isEqualTo(32_768);
    JsonNode messages = body.path("messages");
    assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
    assertThat(messages.get(0).path("content").asText())
        .contains("Everything Server", "## developer");
    assertThat(messages.get(1).path("content").asText())
        .startsWith("hello\n\n<turn-context>\n<current-time>")
        .endsWith("</turn-context>");
    assertThat(body.toString()).doesNotContain("cache_control");
    JsonNode detail = goosed.client.get("/sessions/" + session).json();
    assertThat(detail.path("total_usage").path("cache_read_input_tokens").asLong())
        .isEqualTo(19_968);
    assertThat(detail.path("total_cost_usd").asDouble())
        .isCloseTo((1_032 * 2 + 19_968 * 0.5 + 5 * 8) / 1e6, within(1e-12));
    // A name the user gave is kept: no title request follows the exchange.
    assertThat(fake.requests()).hasSize(1);
    assertThat(detail.path("name").asText()).isEqualTo("Mine");
    assertThat(detail.path("name_source").asText()).isEqualTo("user");
  }

  @Test
  void googleGetsItsOutputBudgetAndTheTurnContextAsAPartWithoutCacheHints() throws Exception {
    fake = new FakeGoogleServer();
    start(
        Map.of(
            "GOOSE_PROVIDER", "google",
            "GOOGLE_HOST", fake.baseUri().toString(),
            "GOOGLE_API_KEY", "g-key",
            "GOOSE_MODEL", "gemini-2.5-pro",
            "GOOSE_SESSION_TITLES", "false"));
    String session = newSession("");
    fake.enqueue(FakeGoogleServer.text("Hi."));

    turn(session, "hello");

    JsonNode body = fake.lastRequest().json();
    assertThat(body.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(65_536);
    assertThat(body.path("systemInstruction").path("parts").get(0).path("text").asText())
        .contains("Everything Server");
    JsonNode parts = body.path("contents").get(0).path("parts");
    assertThat(parts.get(0).path("text").asText()).isEqualTo("hello");
    assertThat(parts.get(1).path("text").asText()).startsWith("<turn-context>");
    assertThat(fake.lastRequest().body()).doesNotContain(session); // no cache key for Gemini yet
  }

  /** Follows the session's event log from its start until an event of this name. */
  SseClient.Event awaitEvent(String session, String name) throws Exception {
    try (SseClient sse =
        SseClient.get(goosed.server.uri(), "/sessions/" + session + "/events?after=0")) {
      while (true) {
        SseClient.Event e =
            sse.next().orElseThrow(() -> new AssertionError("no " + name + " event"));
        if (e.name().equals(name)) return e;
      }
    }
  }
}

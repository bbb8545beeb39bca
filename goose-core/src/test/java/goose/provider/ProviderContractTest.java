package goose.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Message;
import goose.json.Json;
import goose.provider.fake.FakeExchange;
import goose.provider.fake.FakeHttpServer;
import goose.provider.fake.FakeReply;
import goose.provider.fake.RecordedRequest;
import goose.tool.ToolSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every provider must do against a fake server speaking its API's exact wire format: stream
 * text and tool calls whatever the chunking, retry what may be retried and nothing else, time out a
 * silent provider, abort on close, and send tool schemas untouched. Subclasses plug in their API.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class ProviderContractTest {
  protected static final String API_KEY = "sk-test-0123456789abcdef";
  protected FakeHttpServer fake;

  protected abstract FakeHttpServer newFake();

  /** The provider under test, pointed at the fake. */
  protected abstract Provider provider(FakeHttpServer fake, ProviderHttp http);

  protected abstract FakeReply.Stream text(String... chunks);

  /** A reply with one tool call whose JSON arguments arrive in the given fragments. */
  protected abstract FakeReply.Stream toolCall(String id, String name, String... argumentFragments);

  protected abstract FakeReply.Status rateLimited(int retryAfterSeconds);

  protected abstract FakeReply.Status serverError();

  protected abstract FakeReply.Status contextTooLong();

  /** The schema of tool {@code index} as found in the request body sent. */
  protected abstract JsonNode sentToolSchema(JsonNode requestBody, int index);

  /** Whether the API gives tool calls ids (Gemini may not; the provider then makes one). */
  protected boolean toolCallIdsFromApi() {
    return true;
  }

  /**
   * Whether the provider is configured with {@link #API_KEY} (local servers such as Ollama have
   * none).
   */
  protected boolean usesApiKey() {
    return true;
  }

  @BeforeEach
  void startFake() {
    fake = newFake();
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  protected static ProviderHttp http(Duration timeout, int maxRetries) {
    return ProviderHttp.create(
        timeout, new RetryPolicy(maxRetries, Duration.ofMillis(10), Duration.ofSeconds(5)));
  }

  protected Provider provider() {
    return provider(fake, http(Duration.ofSeconds(5), 3));
  }

  public static ProviderRequest ask(String text) {
    return new ProviderRequest("You are a test.", List.of(Message.user(text)), List.of());
  }

  @Test
  void streamsTextInChunks() {
    fake.enqueue(text("Hel", "lo, ", "world"));
    Drained out = Drained.drain(provider().stream(ask("hi")));
    assertThat(out.error()).isEmpty();
    assertThat(out.text()).isEqualTo("Hello, world");
    assertThat(out.stop()).contains(StopReason.END_TURN);
    assertThat(out.usage()).hasValueSatisfying(u -> assertThat(u.inputTokens()).isPositive());
    assertThat(out.events().getLast()).isInstanceOf(ProviderEvent.Stop.class);
    assertThat(fake.lastRequest().body()).contains("hi");
  }

  @Test
  void toolCallArgumentsSplitAcrossChunksArriveWhole() {
    fake.enqueue(
        toolCall(
            "call_1", "read_file", "{\"pa", "th\": \"/tmp/a.", "txt\", \"lines\"", ": [1, 2]}"));
    Drained out = Drained.drain(provider().stream(ask("read it")));
    assertThat(out.error()).isEmpty();
    assertThat(out.toolCalls()).hasSize(1);
    ProviderEvent.ToolCall call = out.toolCalls().getFirst();
    assertThat(call.name()).isEqualTo("read_file");
    if (toolCallIdsFromApi()) assertThat(call.id()).isEqualTo("call_1");
    else assertThat(call.id()).isNotBlank();
    assertThat(call.arguments())
        .isEqualTo(Json.parse("{\"path\": \"/tmp/a.txt\", \"lines\": [1, 2]}"));
    assertThat(out.stop()).contains(StopReason.TOOL_USE);
  }

  @Test
  void multiByteCharactersSplitAcrossWritesAreIntact() {
    String text = "héllo wörld — 日本語 🦆🪿 ok";
    fake.enqueue(text("née ", text).rechunked(3).withChunkDelay(Duration.ofMillis(1)));
    Drained out = Drained.drain(provider().stream(ask("unicode")));
    assertThat(out.error()).isEmpty();
    assertThat(out.text()).isEqualTo("née " + text);
  }

  @Test
  void rateLimitIsRetriedAfterTheTimeTheProviderAsked() {
    fake.enqueue(rateLimited(1));
    fake.enqueue(text("ok"));
    Drained out = Drained.drain(provider().stream(ask("hi")));
    assertThat(out.error()).isEmpty();
    assertThat(out.text()).isEqualTo("ok");
    List<RecordedRequest> requests = fake.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
    // the back-off base is 10 ms: only retry-after explains a wait of a second or more
    assertThat(
            Duration.ofNanos(requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void serverErrorThenSuccessIsRetried() {
    fake.enqueue(serverError());
    fake.enqueue(text("recovered"));
    Drained out = Drained.drain(provider().stream(ask("hi")));
    assertThat(out.error()).isEmpty();
    assertThat(out.text()).isEqualTo("recovered");
    assertThat(fake.requests()).hasSize(2);
    assertThat(fake.pendingReplies()).isZero();
  }

  @Test
  void persistentServerErrorFailsAfterMaxRetries() {
    for (int i = 0; i < 4; i++) fake.enqueue(serverError());
    Drained out = Drained.drain(provider().stream(ask("hi")));
    ProviderException e = out.failure();
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.SERVER);
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.getMessage()).contains("after 3 retries").doesNotContain("\n");
    assertThat(fake.requests()).hasSize(4);
  }

  @Test
  void contextLengthRefusalIsRecognisedAndNotRetried() {
    fake.enqueue(contextTooLong());
    ProviderException e = Drained.drain(provider().stream(ask("long"))).failure();
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.CONTEXT_LENGTH_EXCEEDED);
    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(API_KEY);
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void authFailureIsNotRetriedAndHidesTheKey() {
    fake.enqueue(
        new FakeReply.Status(
            401,
            java.util.Map.of("content-type", "application/json"),
            "{\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key "
                + API_KEY
                + "\"}}"));
    ProviderException e = Drained.drain(provider().stream(ask("hi"))).failure();
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTH);
    assertThat(e.getMessage()).contains("401").doesNotContain("\n");
    if (usesApiKey()) assertThat(e.getMessage()).doesNotContain(API_KEY);
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void malformedLineIsAProtocolError() {
    FakeReply.Stream reply = text("fine", "MIDDLE");
    fake.enqueue(reply.withMalformedLineAt(indexOfWrite(reply, "MIDDLE")));
    Drained out = Drained.drain(provider().stream(ask("hi")));
    assertThat(out.failure().kind()).isEqualTo(ProviderException.Kind.PROTOCOL);
    assertThat(out.text()).isEqualTo("fine");
  }

  @Test
  void connectionResetMidStreamFailsAfterTheWordsAlreadyStreamed() {
    FakeReply.Stream reply = text("first ", "MIDDLE", " last");
    FakeExchange exchange =
        fake.enqueue(reply.resetAfter(indexOfWrite(reply, "MIDDLE")).heldBeforeEnding());
    ProviderStream stream = provider().stream(ask("hi"));
    assertThat(readFirstText(stream)).isEqualTo("first ");
    exchange.release();
    Drained out = Drained.drain(stream);
    assertThat(out.text()).isEmpty();
    assertThat(out.failure().kind()).isEqualTo(ProviderException.Kind.NETWORK);
    assertThat(fake.requests()).as("no retry once words were streamed").hasSize(1);
  }

  @Test
  void connectionResetBeforeAnyOutputIsRetried() {
    fake.enqueue(text("lost").resetAfter(0));
    fake.enqueue(text("second try"));
    Drained out = Drained.drain(provider().stream(ask("hi")));
    assertThat(out.error()).isEmpty();
    assertThat(out.text()).isEqualTo("second try");
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void stallPastApiTimeoutIsATimeoutAndTheConnectionIsClosed() {
    FakeReply.Stream reply = text("first ", "MIDDLE");
    FakeExchange exchange = fake.enqueue(reply.stallAfter(indexOfWrite(reply, "MIDDLE")));
    // 2 s, not less: on a loaded machine (load 15) the first chunk itself once took over 500 ms.
    Drained out = Drained.drain(provider(fake, http(Duration.ofSeconds(2), 3)).stream(ask("hi")));
    assertThat(out.text()).isEqualTo("first ");
    assertThat(out.failure().kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
    assertThat(out.failure().getMessage()).contains("api_timeout");
    assertThat(exchange.clientClosedEarly()).isTrue();
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void noFirstByteWithinApiTimeoutIsATimeout() {
    fake.enqueue(text("late").withFirstByteDelay(Duration.ofSeconds(5)));
    Drained out = Drained.drain(provider(fake, http(Duration.ofMillis(500), 3)).stream(ask("hi")));
    assertThat(out.failure().kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
  }

  @Test
  void slowChunksWithinApiTimeoutAreNotATimeout() {
    // 150 ms between chunks against a 5 s limit: a loaded machine stretched a gap past 1 s.
    fake.enqueue(text("a", "b", "c", "d").withChunkDelay(Duration.ofMillis(150)));
    Drained out = Drained.drain(provider(fake, http(Duration.ofSeconds(5), 0)).stream(ask("hi")));
    assertThat(out.error()).isEmpty();
    assertThat(out.text()).isEqualTo("abcd");
  }

  @Test
  void closeFromAnotherThreadAbortsTheRequestAndUnblocksTheReader() throws Exception {
    FakeReply.Stream reply = text("first ", "MIDDLE");
    FakeExchange exchange = fake.enqueue(reply.stallAfter(indexOfWrite(reply, "MIDDLE")));
    ProviderStream stream = provider().stream(ask("hi"));
    String seen = readFirstText(stream);
    CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(stream::hasNext);
    // A fixed pause on purpose: the reader is then (most likely) blocked in hasNext, which
    // the close must unblock; the assertions hold either way, there is no state to wait on.
    Thread.sleep(100);
    stream.close();
    assertThat(blocked.get(5, TimeUnit.SECONDS)).isFalse();
    assertThat(exchange.clientClosedEarly()).isTrue();
    assertThat(seen).isEqualTo("first ");
  }

  @Test
  void closeBeforeTheResponseHeadersAbortsTheRequest() throws Exception {
    FakeExchange exchange = fake.enqueue(text("never").withFirstByteDelay(Duration.ofSeconds(20)));
    ProviderStream stream = provider().stream(ask("hi"));
    CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(stream::hasNext);
    exchange.request();
    stream.close();
    assertThat(blocked.get(5, TimeUnit.SECONDS)).isFalse();
    assertThat(exchange.clientClosedEarly()).isTrue();
  }

  @Test
  void aRetryAfterLongerThanTheCeilingIsNotWaitedFor() {
    fake.enqueue(rateLimited(120));
    ProviderException e = Drained.drain(provider().stream(ask("hi"))).failure();
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
    assertThat(e.getMessage()).contains("asks to wait 120 s");
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void toolSchemasAreSentVerbatim() {
    ObjectNode schema =
        (ObjectNode)
            Json.parse(
                """
        {"type":"object","$defs":{"pt":{"type":"object","properties":{"x":{"type":"number"},"y":{"type":"number"}},
        "required":["x","y"],"additionalProperties":false}},
        "properties":{"shape":{"oneOf":[{"$ref":"#/$defs/pt"},{"type":"array","items":{"$ref":"#/$defs/pt"},"minItems":2}]},
        "meta":{"type":"object","additionalProperties":{"type":["string","null"]},"patternProperties":{"^x-":{}}},
        "mode":{"enum":["a","b",null],"default":"a","description":"ünïcode ✓"}},
        "required":["shape"],"additionalProperties":false}
        """);
    fake.enqueue(text("ok"));
    ProviderRequest request =
        new ProviderRequest(
            "sys",
            List.of(Message.user("draw")),
            List.of(
                new ToolSpec("draw", "Draws a shape", schema, false),
                new ToolSpec("noop", "", Json.object().put("type", "object"), true)));
    assertThat(Drained.drain(provider().stream(request)).error()).isEmpty();
    JsonNode body = fake.lastRequest().json();
    assertThat(sentToolSchema(body, 0)).isEqualTo(schema);
    assertThat(Json.write(sentToolSchema(body, 0))).isEqualTo(Json.write(schema));
    assertThat(sentToolSchema(body, 1)).isEqualTo(Json.object().put("type", "object"));
  }

  @Test
  void aLongStreamArrivesComplete() {
    String[] chunks = new String[3000];
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = "w" + i + " ";
      expected.append(chunks[i]);
    }
    fake.enqueue(text(chunks));
    Drained out = Drained.drain(provider().stream(ask("long")));
    assertThat(out.error()).isEmpty();
    assertThat(out.text()).isEqualTo(expected.toString());
    assertThat(out.events().stream().filter(ProviderEvent.TextDelta.class::isInstance))
        .hasSize(3000);
  }

  /** Reads events up to and including the first text delta; returns its text. */
  protected static String readFirstText(ProviderStream stream) {
    while (stream.hasNext()) {
      if (stream.next() instanceof ProviderEvent.TextDelta t) return t.text();
    }
    throw new AssertionError("the stream ended without text");
  }

  /** The index of the first write of {@code reply} containing {@code marker}. */
  protected static int indexOfWrite(FakeReply.Stream reply, String marker) {
    for (int i = 0; i < reply.writes().size(); i++) {
      if (new String(reply.writes().get(i), java.nio.charset.StandardCharsets.UTF_8)
          .contains(marker)) return i;
    }
    throw new AssertionError("no write contains " + marker);
  }
}

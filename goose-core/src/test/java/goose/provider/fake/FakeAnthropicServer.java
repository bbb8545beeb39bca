package goose.provider.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fake Anthropic Messages API ({@code POST /v1/messages}, {@code stream: true}) speaking its
 * exact SSE format: {@code event:} + {@code data:} pairs, message_start with input usage, content
 * blocks (text, tool_use with input_json_delta fragments, thinking with thinking_delta and
 * signature_delta, redacted_thinking), ping, message_delta with stop_reason and output usage,
 * message_stop.
 */
public final class FakeAnthropicServer extends FakeHttpServer {

  public FakeAnthropicServer() {
    super(java.net.InetAddress.getLoopbackAddress(), FakeAnthropicServer::refusal);
  }

  /** A reply streaming {@code chunks} as one text block, ending the turn. */
  public static FakeReply.Stream text(String... chunks) {
    return script().text(chunks).build();
  }

  public static Script script() {
    return new Script();
  }

  /**
   * Anthropic refuses a conversation in which a {@code tool_use} block is not answered by a {@code
   * tool_result} block in the very next message, or a {@code tool_result} answers no {@code
   * tool_use} of the message before it: 400 {@code invalid_request_error}, as the real API.
   */
  private static Optional<FakeReply.Status> refusal(RecordedRequest request) {
    return request.messagesPostedTo("/messages").flatMap(FakeAnthropicServer::unansweredToolUse);
  }

  private static Optional<FakeReply.Status> unansweredToolUse(JsonNode messages) {
    Set<String> asked = Set.of();
    for (int i = 0; i < messages.size(); i++) {
      Set<String> answered = blockIds(messages.get(i), "tool_result", "tool_use_id");
      Set<String> missing = new TreeSet<>(asked);
      missing.removeAll(answered);
      if (!missing.isEmpty()) return Optional.of(unanswered(i - 1, missing));
      Set<String> stray = new TreeSet<>(answered);
      stray.removeAll(asked);
      if (!stray.isEmpty())
        return Optional.of(
            error(
                400,
                Map.of(),
                "invalid_request_error",
                "messages."
                    + i
                    + ".content: unexpected `tool_use_id` found in `tool_result` blocks: "
                    + String.join(", ", stray)
                    + ". Each `tool_result` block must have a corresponding `tool_use` block in the"
                    + " previous message."));
      asked = blockIds(messages.get(i), "tool_use", "id");
    }
    return asked.isEmpty()
        ? Optional.empty()
        : Optional.of(unanswered(messages.size() - 1, new TreeSet<>(asked)));
  }

  private static FakeReply.Status unanswered(int index, Set<String> ids) {
    return error(
        400,
        Map.of(),
        "invalid_request_error",
        "messages."
            + index
            + ": `tool_use` ids were found without `tool_result` blocks immediately after: "
            + String.join(", ", ids)
            + ". Each `tool_use` block must have a corresponding `tool_result` block in the next"
            + " message.");
  }

  /** The {@code field} of each content block of {@code type} in one message. */
  private static Set<String> blockIds(JsonNode message, String type, String field) {
    Set<String> ids = new TreeSet<>();
    for (JsonNode block : message.path("content"))
      if (block.path("type").asText().equals(type)) ids.add(block.path(field).asText());
    return ids;
  }

  /** 400 as Anthropic answers a prompt longer than the context window. */
  public static FakeReply.Status contextTooLong() {
    return error(
        400,
        Map.of(),
        "invalid_request_error",
        "prompt is too long: 215000 tokens > 200000 maximum");
  }

  public static FakeReply.Status rateLimited(int retryAfterSeconds) {
    return error(
        429,
        Map.of("retry-after", Integer.toString(retryAfterSeconds)),
        "rate_limit_error",
        "Number of request tokens has exceeded your per-minute rate limit");
  }

  public static FakeReply.Status overloaded() {
    return error(529, Map.of(), "overloaded_error", "Overloaded");
  }

  public static FakeReply.Status serverError() {
    return error(500, Map.of(), "api_error", "Internal server error");
  }

  public static FakeReply.Status error(
      int status, Map<String, String> headers, String type, String message) {
    ObjectNode body = Json.object().put("type", "error");
    body.putObject("error").put("type", type).put("message", message);
    java.util.HashMap<String, String> all = new java.util.HashMap<>(headers);
    all.put("content-type", "application/json");
    return FakeReply.status(status, all, Json.write(body));
  }

  /** Builds one streamed message, block by block. */
  public static final class Script {
    private final List<String> events = new ArrayList<>();
    private int index;
    private long inputTokens = 25;
    private long outputTokens = 12;
    private long cacheRead;
    private long cacheCreation;
    private String stopReason;

    public Script usage(long input, long output) {
      this.inputTokens = input;
      this.outputTokens = output;
      return this;
    }

    /**
     * Prompt-cache counts as Anthropic reports them: beside {@code input_tokens}, which then counts
     * only the uncached part.
     */
    public Script cache(long read, long creation) {
      this.cacheRead = read;
      this.cacheCreation = creation;
      return this;
    }

    public Script text(String... chunks) {
      block(Json.object().put("type", "text").put("text", ""));
      for (String c : chunks) delta(Json.object().put("type", "text_delta").put("text", c));
      stopBlock();
      return this;
    }

    public Script thinking(String signature, String... chunks) {
      block(Json.object().put("type", "thinking").put("thinking", ""));
      for (String c : chunks) delta(Json.object().put("type", "thinking_delta").put("thinking", c));
      delta(Json.object().put("type", "signature_delta").put("signature", signature));
      stopBlock();
      return this;
    }

    public Script redactedThinking(String data) {
      block(Json.object().put("type", "redacted_thinking").put("data", data));
      stopBlock();
      return this;
    }

    /** A tool_use block whose input JSON arrives in the given fragments. */
    public Script toolUse(String id, String name, String... jsonFragments) {
      ObjectNode block = Json.object().put("type", "tool_use").put("id", id).put("name", name);
      block.putObject("input");
      block(block);
      delta(Json.object().put("type", "input_json_delta").put("partial_json", ""));
      for (String f : jsonFragments)
        delta(Json.object().put("type", "input_json_delta").put("partial_json", f));
      stopBlock();
      if (stopReason == null) stopReason = "tool_use";
      return this;
    }

    public Script ping() {
      events.add(event("ping", Json.object().put("type", "ping")));
      return this;
    }

    public Script stopReason(String reason) {
      this.stopReason = reason;
      return this;
    }

    public FakeReply.Stream build() {
      List<String> all = new ArrayList<>();
      ObjectNode start = Json.object().put("type", "message_start");
      ObjectNode message = start.putObject("message");
      message
          .put("id", "msg_fake01")
          .put("type", "message")
          .put("role", "assistant")
          .put("model", "claude-fake");
      message.putArray("content");
      message.putNull("stop_reason");
      message.putNull("stop_sequence");
      message
          .putObject("usage")
          .put("input_tokens", inputTokens)
          .put("cache_creation_input_tokens", cacheCreation)
          .put("cache_read_input_tokens", cacheRead)
          .put("output_tokens", 1);
      all.add(event("message_start", start));
      all.add(event("ping", Json.object().put("type", "ping")));
      all.addAll(events);
      ObjectNode md = Json.object().put("type", "message_delta");
      md.putObject("delta")
          .put("stop_reason", stopReason == null ? "end_turn" : stopReason)
          .putNull("stop_sequence");
      md.putObject("usage").put("output_tokens", outputTokens);
      all.add(event("message_delta", md));
      all.add(event("message_stop", Json.object().put("type", "message_stop")));
      return FakeReply.Stream.of("text/event-stream; charset=utf-8", all);
    }

    private void block(ObjectNode contentBlock) {
      ObjectNode e = Json.object().put("type", "content_block_start").put("index", index);
      e.set("content_block", contentBlock);
      events.add(event("content_block_start", e));
    }

    private void delta(ObjectNode delta) {
      ObjectNode e = Json.object().put("type", "content_block_delta").put("index", index);
      e.set("delta", delta);
      events.add(event("content_block_delta", e));
    }

    private void stopBlock() {
      events.add(
          event(
              "content_block_stop",
              Json.object().put("type", "content_block_stop").put("index", index)));
      index++;
    }
  }

  /** An SSE event as Anthropic writes it: event line, data line, blank line. */
  public static String event(String name, ObjectNode data) {
    return "event: " + name + "\ndata: " + Json.write(data) + "\n\n";
  }
}

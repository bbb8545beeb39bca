package goose.provider.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fake OpenAI Chat Completions API ({@code POST /v1/chat/completions}, {@code stream: true})
 * speaking its exact SSE format: {@code data:} lines of chat.completion.chunk objects, tool-call
 * deltas by index (id and name first, arguments in fragments), a finish_reason chunk, a usage chunk
 * with empty choices ({@code stream_options.include_usage}), then {@code data: [DONE]}. Also serves
 * as Ollama, Azure, OpenRouter and every OpenAI-compatible provider.
 */
public final class FakeOpenAiServer extends FakeHttpServer {

  public FakeOpenAiServer() {
    this(java.net.InetAddress.getLoopbackAddress());
  }

  /** Listening on {@code address} (see {@link FakeHttpServer#FakeHttpServer(InetAddress)}). */
  public FakeOpenAiServer(java.net.InetAddress address) {
    super(address, FakeOpenAiServer::refusal);
  }

  /**
   * Chat Completions refuses a conversation in which an assistant message's {@code tool_calls} are
   * not each answered by a {@code tool} message right after it, or a {@code tool} message answers
   * no call before it: 400 {@code invalid_request_error}, as the real API.
   */
  private static Optional<FakeReply.Status> refusal(RecordedRequest request) {
    return request
        .messagesPostedTo("/chat/completions")
        .flatMap(FakeOpenAiServer::unansweredToolCalls);
  }

  private static Optional<FakeReply.Status> unansweredToolCalls(JsonNode messages) {
    Set<String> open = new TreeSet<>();
    int caller = -1;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      if (m.path("role").asText().equals("tool")) {
        if (!open.remove(m.path("tool_call_id").asText()))
          return Optional.of(
              error(
                  400,
                  Map.of(),
                  "invalid_request_error",
                  null,
                  "Invalid parameter: messages with role 'tool' must be a response to a preceeding"
                      + " message with 'tool_calls'."));
        continue;
      }
      if (!open.isEmpty()) return Optional.of(unanswered(caller, open));
      for (JsonNode call : m.path("tool_calls")) open.add(call.path("id").asText());
      caller = i;
    }
    return open.isEmpty() ? Optional.empty() : Optional.of(unanswered(caller, open));
  }

  private static FakeReply.Status unanswered(int index, Set<String> ids) {
    return error(
        400,
        Map.of(),
        "invalid_request_error",
        null,
        "An assistant message with 'tool_calls' must be followed by tool messages responding to"
            + " each 'tool_call_id'. The following tool_call_ids did not have response messages: "
            + String.join(", ", ids)
            + " (messages."
            + index
            + ")");
  }

  public static FakeReply.Stream text(String... chunks) {
    return script().text(chunks).build();
  }

  /**
   * The two replies of a turn in which the model calls one tool ({@code call_1}), then, given its
   * result, answers {@code done}.
   */
  public void enqueueToolCall(String tool, String argumentsJson) {
    enqueue(script().toolCall(0, "call_1", tool, argumentsJson).finishReason("tool_calls").build());
    enqueue(text("done"));
  }

  public static Script script() {
    return new Script();
  }

  public static FakeReply.Status contextTooLong() {
    return error(
        400,
        Map.of(),
        "invalid_request_error",
        "context_length_exceeded",
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.");
  }

  public static FakeReply.Status rateLimited(int retryAfterSeconds) {
    return error(
        429,
        Map.of("retry-after", Integer.toString(retryAfterSeconds)),
        "requests",
        "rate_limit_exceeded",
        "Rate limit reached for requests");
  }

  public static FakeReply.Status serverError() {
    return error(
        500,
        Map.of(),
        "server_error",
        null,
        "The server had an error while processing your request.");
  }

  public static FakeReply.Status error(
      int status, Map<String, String> headers, String type, String code, String message) {
    ObjectNode body = Json.object();
    ObjectNode err = body.putObject("error").put("message", message).put("type", type);
    err.putNull("param");
    if (code == null) err.putNull("code");
    else err.put("code", code);
    java.util.HashMap<String, String> all = new java.util.HashMap<>(headers);
    all.put("content-type", "application/json");
    return FakeReply.status(status, all, Json.write(body));
  }

  /** Builds one streamed completion. */
  public static final class Script {
    private final List<String> chunks = new ArrayList<>();
    private String finishReason;
    private long promptTokens = 30;
    private long completionTokens = 9;
    private boolean usage = true;
    private long cachedTokens;

    public Script text(String... parts) {
      for (String p : parts) chunks.add(chunk(Json.object().put("content", p), null));
      return this;
    }

    /** Reasoning text as DeepSeek, OpenRouter and Ollama send it ({@code reasoning_content}). */
    public Script reasoning(String... parts) {
      for (String p : parts) chunks.add(chunk(Json.object().put("reasoning_content", p), null));
      return this;
    }

    /**
     * A tool call at {@code index}: the first delta carries id and name, then argument fragments.
     */
    public Script toolCall(int index, String id, String name, String... argumentFragments) {
      chunks.add(chunk(toolDelta(index, id, name, ""), null));
      for (String f : argumentFragments) chunks.add(chunk(toolDelta(index, null, null, f), null));
      if (finishReason == null) finishReason = "tool_calls";
      return this;
    }

    /** One argument fragment for the call at {@code index} (to interleave parallel calls). */
    public Script toolArguments(int index, String fragment) {
      chunks.add(chunk(toolDelta(index, null, null, fragment), null));
      return this;
    }

    public Script finishReason(String reason) {
      this.finishReason = reason;
      return this;
    }

    public Script usage(long prompt, long completion) {
      this.promptTokens = prompt;
      this.completionTokens = completion;
      return this;
    }

    /** {@code prompt_tokens_details.cached_tokens}: the part of prompt_tokens read from cache. */
    public Script cachedTokens(long cached) {
      this.cachedTokens = cached;
      return this;
    }

    public Script withoutUsage() {
      this.usage = false;
      return this;
    }

    public FakeReply.Stream build() {
      List<String> all = new ArrayList<>();
      all.add(chunk(Json.object().put("role", "assistant").put("content", ""), null));
      all.addAll(chunks);
      all.add(chunk(Json.object(), finishReason == null ? "stop" : finishReason));
      if (usage) {
        ObjectNode u = base();
        u.putArray("choices");
        u.putObject("usage")
            .put("prompt_tokens", promptTokens)
            .put("completion_tokens", completionTokens)
            .put("total_tokens", promptTokens + completionTokens)
            .putObject("prompt_tokens_details")
            .put("cached_tokens", cachedTokens);
        all.add(data(u));
      }
      all.add("data: [DONE]\n\n");
      return FakeReply.Stream.of("text/event-stream; charset=utf-8", all);
    }

    private static ObjectNode toolDelta(int index, String id, String name, String arguments) {
      ObjectNode delta = Json.object();
      ArrayNode calls = delta.putArray("tool_calls");
      ObjectNode call = calls.addObject().put("index", index);
      if (id != null) call.put("id", id).put("type", "function");
      ObjectNode fn = call.putObject("function");
      if (name != null) fn.put("name", name);
      fn.put("arguments", arguments);
      return delta;
    }

    private static String chunk(ObjectNode delta, String finishReason) {
      ObjectNode c = base();
      ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      if (finishReason == null) choice.putNull("finish_reason");
      else choice.put("finish_reason", finishReason);
      c.putNull("usage");
      return data(c);
    }

    private static ObjectNode base() {
      return Json.object()
          .put("id", "chatcmpl-fake01")
          .put("object", "chat.completion.chunk")
          .put("created", 1_764_000_000L)
          .put("model", "gpt-fake")
          .put("system_fingerprint", "fp_fake");
    }
  }

  public static String data(ObjectNode json) {
    return "data: " + Json.write(json) + "\n\n";
  }
}

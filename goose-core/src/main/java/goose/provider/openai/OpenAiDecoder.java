package goose.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.TokenUsage;
import goose.ids.Ids;
import goose.provider.ProviderErrors;
import goose.provider.ProviderEvent;
import goose.provider.ProviderException;
import goose.provider.SseEvent;
import goose.provider.StopReason;
import goose.provider.WireDecoder;
import goose.provider.WireJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads a Chat Completions stream: content deltas, reasoning deltas ({@code reasoning_content} or
 * {@code reasoning}, as DeepSeek, OpenRouter and Ollama send them), tool-call deltas accumulated by
 * index (id and name first, arguments in fragments; emitted whole at finish_reason), usage from the
 * final chunk, and {@code [DONE]}. A stream ending after finish_reason without {@code [DONE]} is
 * accepted (some compatible servers do that); one ending before finish_reason is an error.
 */
final class OpenAiDecoder implements WireDecoder {
  private final String provider;
  private final List<String> secrets;
  private final Map<Integer, Call> calls = new TreeMap<>();
  private Optional<StopReason> stop = Optional.empty();
  private Optional<TokenUsage> usage = Optional.empty();

  private static final class Call {
    String id = "";
    String name = "";
    final StringBuilder arguments = new StringBuilder();
  }

  OpenAiDecoder(String provider, List<String> secrets) {
    this.provider = provider;
    this.secrets = secrets;
  }

  @Override
  public boolean onEvent(SseEvent event, Consumer<ProviderEvent> out) {
    if (event.data().strip().equals("[DONE]")) {
      complete(out);
      return true;
    }
    JsonNode chunk = WireJson.parse(provider, event.data());
    JsonNode error = chunk.path("error");
    if (!error.isMissingNode() && !error.isNull()) {
      String type = error.path("type").asText(error.path("code").asText(""));
      throw ProviderErrors.inStream(
          provider, type, error.path("message").asText(error.asText("error")), secrets);
    }
    JsonNode u = chunk.path("usage");
    if (u.isObject()) {
      // OpenAI and most compatible servers: prompt_tokens_details.cached_tokens; DeepSeek:
      // prompt_cache_hit_tokens. Neither reports cache writes (not billed separately there).
      long cached =
          u.path("prompt_tokens_details")
              .path("cached_tokens")
              .asLong(u.path("prompt_cache_hit_tokens").asLong(0));
      usage =
          Optional.of(
              new TokenUsage(
                  u.path("prompt_tokens").asLong(0),
                  u.path("completion_tokens").asLong(0),
                  cached,
                  0));
    }
    for (JsonNode choice : chunk.path("choices")) {
      JsonNode delta = choice.path("delta");
      reasoning(delta).ifPresent(r -> out.accept(new ProviderEvent.ThinkingDelta(r)));
      JsonNode content = delta.path("content");
      if (content.isTextual() && !content.asText().isEmpty())
        out.accept(new ProviderEvent.TextDelta(content.asText()));
      int position = 0;
      for (JsonNode tc : delta.path("tool_calls")) {
        Call call = calls.computeIfAbsent(tc.path("index").asInt(position++), i -> new Call());
        if (tc.path("id").isTextual() && call.id.isEmpty()) call.id = tc.path("id").asText();
        JsonNode fn = tc.path("function");
        if (fn.path("name").isTextual() && call.name.isEmpty())
          call.name = fn.path("name").asText();
        if (fn.path("arguments").isTextual()) call.arguments.append(fn.path("arguments").asText());
      }
      JsonNode finish = choice.path("finish_reason");
      if (finish.isTextual() && stop.isEmpty()) {
        stop = Optional.of(stopReason(finish.asText()));
        flushCalls(out);
      }
    }
    return false;
  }

  @Override
  public void onEnd(Consumer<ProviderEvent> out) {
    if (stop.isEmpty())
      throw ProviderErrors.protocol(provider, "the stream ended before a finish_reason");
    complete(out);
  }

  private void complete(Consumer<ProviderEvent> out) {
    flushCalls(out);
    usage.ifPresent(u -> out.accept(new ProviderEvent.Usage(u)));
    out.accept(new ProviderEvent.Stop(stop.orElse(StopReason.END_TURN)));
  }

  private void flushCalls(Consumer<ProviderEvent> out) {
    if (calls.isEmpty()) return;
    boolean cut = stop.isPresent() && stop.get() == StopReason.MAX_TOKENS;
    for (Call call : calls.values()) {
      try {
        if (call.name.isEmpty())
          throw ProviderErrors.protocol(provider, "a tool call without a function name");
        String id = call.id.isEmpty() ? "call_" + Ids.newId() : call.id;
        out.accept(
            new ProviderEvent.ToolCall(
                id, call.name, WireJson.arguments(provider, call.name, call.arguments.toString())));
      } catch (ProviderException e) {
        // A call cut off by the output limit is unfinished, not broken: dropped, the stop reason
        // (max_tokens) tells the agent why.
        if (!cut) throw e;
      }
    }
    calls.clear();
    if (stop.isEmpty() || stop.get() == StopReason.END_TURN)
      stop = Optional.of(StopReason.TOOL_USE);
  }

  private static Optional<String> reasoning(JsonNode delta) {
    for (String field : List.of("reasoning_content", "reasoning")) {
      JsonNode r = delta.path(field);
      if (r.isTextual() && !r.asText().isEmpty()) return Optional.of(r.asText());
    }
    return Optional.empty();
  }

  static StopReason stopReason(String reason) {
    return switch (reason) {
      case "stop" -> StopReason.END_TURN;
      case "tool_calls", "function_call" -> StopReason.TOOL_USE;
      case "length" -> StopReason.MAX_TOKENS;
      default -> StopReason.OTHER;
    };
  }
}

package goose.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.TokenUsage;
import goose.provider.ProviderErrors;
import goose.provider.ProviderEvent;
import goose.provider.ProviderException;
import goose.provider.SseEvent;
import goose.provider.StopReason;
import goose.provider.WireDecoder;
import goose.provider.WireJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the Messages API event stream: text_delta, thinking_delta + signature_delta,
 * redacted_thinking, tool_use whose input arrives as input_json_delta fragments (emitted whole at
 * content_block_stop), usage from message_start (input, including cache reads and writes) and
 * message_delta (output), the stop reason, and {@code error} events. Complete at message_stop; a
 * stream ending earlier is an error. A tool call cut off by {@code max_tokens} is dropped (its
 * input is unfinished JSON): the stop reason tells the agent the reply was cut.
 */
final class AnthropicDecoder implements WireDecoder {
  private final String provider;
  private final List<String> secrets;
  private final Map<Integer, Block> blocks = new HashMap<>();
  private long inputTokens;
  private long outputTokens;
  private long cacheRead;
  private long cacheCreation;
  private StopReason stop = StopReason.END_TURN;

  /**
   * A tool call whose input is not valid JSON: cut off by max_tokens (then dropped, the reply says
   * why) or broken (then reported at the end).
   */
  private Optional<ProviderException> cutCall = Optional.empty();

  private record Block(String type, String id, String name, StringBuilder buffer) {}

  AnthropicDecoder(String provider, List<String> secrets) {
    this.provider = provider;
    this.secrets = secrets;
  }

  @Override
  public boolean onEvent(SseEvent event, Consumer<ProviderEvent> out) {
    JsonNode data = WireJson.parse(provider, event.data());
    String type = data.path("type").asText(event.event());
    switch (type) {
      case "message_start" -> {
        JsonNode usage = data.path("message").path("usage");
        inputTokens = input(usage);
        outputTokens = usage.path("output_tokens").asLong(0);
        cacheRead = usage.path("cache_read_input_tokens").asLong(0);
        cacheCreation = usage.path("cache_creation_input_tokens").asLong(0);
      }
      case "content_block_start" ->
          start(data.path("index").asInt(), data.path("content_block"), out);
      case "content_block_delta" -> delta(data.path("index").asInt(), data.path("delta"), out);
      case "content_block_stop" -> stop(data.path("index").asInt(), out);
      case "message_delta" -> {
        JsonNode reason = data.path("delta").path("stop_reason");
        if (reason.isTextual()) stop = stopReason(reason.asText());
        JsonNode usage = data.path("usage");
        if (usage.has("output_tokens")) outputTokens = usage.path("output_tokens").asLong();
        if (usage.has("input_tokens")) inputTokens = Math.max(inputTokens, input(usage));
        if (usage.has("cache_read_input_tokens"))
          cacheRead = Math.max(cacheRead, usage.path("cache_read_input_tokens").asLong());
        if (usage.has("cache_creation_input_tokens"))
          cacheCreation =
              Math.max(cacheCreation, usage.path("cache_creation_input_tokens").asLong());
      }
      case "message_stop" -> {
        if (cutCall.isPresent() && stop != StopReason.MAX_TOKENS) throw cutCall.get();
        out.accept(
            new ProviderEvent.Usage(
                new TokenUsage(inputTokens, outputTokens, cacheRead, cacheCreation)));
        out.accept(new ProviderEvent.Stop(stop));
        return true;
      }
      case "error" -> {
        JsonNode err = data.path("error");
        throw ProviderErrors.inStream(
            provider, err.path("type").asText(""), err.path("message").asText("error"), secrets);
      }
      default -> {
        // ping and event types added later are ignored
      }
    }
    return false;
  }

  @Override
  public void onEnd(Consumer<ProviderEvent> out) {
    throw ProviderErrors.protocol(provider, "the stream ended before message_stop");
  }

  private void start(int index, JsonNode block, Consumer<ProviderEvent> out) {
    String type = block.path("type").asText("");
    switch (type) {
      case "text" -> {
        String text = block.path("text").asText("");
        if (!text.isEmpty()) out.accept(new ProviderEvent.TextDelta(text));
      }
      case "thinking" -> {
        String text = block.path("thinking").asText("");
        if (!text.isEmpty()) out.accept(new ProviderEvent.ThinkingDelta(text));
      }
      case "redacted_thinking" ->
          out.accept(new ProviderEvent.RedactedThinking(block.path("data").asText("")));
      default -> {}
    }
    blocks.put(
        index,
        new Block(
            type, block.path("id").asText(""), block.path("name").asText(""), new StringBuilder()));
  }

  private void delta(int index, JsonNode delta, Consumer<ProviderEvent> out) {
    Block block = blocks.get(index);
    if (block == null)
      throw ProviderErrors.protocol(provider, "content_block_delta for unknown block " + index);
    switch (delta.path("type").asText("")) {
      case "text_delta" -> out.accept(new ProviderEvent.TextDelta(delta.path("text").asText("")));
      case "thinking_delta" ->
          out.accept(new ProviderEvent.ThinkingDelta(delta.path("thinking").asText("")));
      case "signature_delta", "input_json_delta" ->
          block
              .buffer()
              .append(delta.path(delta.has("signature") ? "signature" : "partial_json").asText(""));
      default -> {}
    }
  }

  private void stop(int index, Consumer<ProviderEvent> out) {
    Block block = blocks.remove(index);
    if (block == null) return;
    switch (block.type()) {
      case "tool_use", "server_tool_use" -> {
        ObjectNode arguments;
        try {
          arguments = WireJson.arguments(provider, block.name(), block.buffer().toString());
        } catch (ProviderException e) {
          if (cutCall.isEmpty()) cutCall = Optional.of(e);
          return;
        }
        out.accept(new ProviderEvent.ToolCall(block.id(), block.name(), arguments));
      }
      case "thinking" -> {
        if (!block.buffer().isEmpty())
          out.accept(new ProviderEvent.ThinkingSignature(block.buffer().toString()));
      }
      default -> {}
    }
  }

  private static long input(JsonNode usage) {
    return usage.path("input_tokens").asLong(0)
        + usage.path("cache_creation_input_tokens").asLong(0)
        + usage.path("cache_read_input_tokens").asLong(0);
  }

  static StopReason stopReason(String reason) {
    return switch (reason) {
      case "end_turn", "stop_sequence" -> StopReason.END_TURN;
      case "tool_use" -> StopReason.TOOL_USE;
      case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
      default -> StopReason.OTHER;
    };
  }
}

package goose.bench;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The two streamed wire formats the fake provider speaks, frame by frame (one SSE event each). */
enum WireFormat {
  OPENAI {
    @Override
    List<String> head() {
      return List.of(openAi("{\"role\":\"assistant\",\"content\":\"\"}", null));
    }

    @Override
    String text(String text) {
      return openAi("{\"content\":\"" + text + "\"}", null);
    }

    @Override
    List<String> toolCall(String name, String arguments) {
      return List.of(
          openAi(
              "{\"tool_calls\":[{\"index\":0,\"id\":\"call_bench1\",\"type\":\"function\",\"function\":{\"name\":\""
                  + name
                  + "\",\"arguments\":"
                  + quote(arguments)
                  + "}}]}",
              null));
    }

    @Override
    List<String> tail(boolean tool) {
      return List.of(
          openAi("{}", tool ? "tool_calls" : "stop"),
          "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"bench-model\","
              + "\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":9,\"total_tokens\":39}}\n\n",
          "data: [DONE]\n\n");
    }

    private static String openAi(String delta, @Nullable String finish) {
      return "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"bench-model\","
          + "\"choices\":[{\"index\":0,\"delta\":"
          + delta
          + ",\"logprobs\":null,\"finish_reason\":"
          + (finish == null ? "null" : "\"" + finish + "\"")
          + "}]}\n\n";
    }
  },

  ANTHROPIC {
    @Override
    List<String> head() {
      return List.of(
          event(
              "message_start",
              "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\","
                  + "\"model\":\"bench-model\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                  + "\"usage\":{\"input_tokens\":30,\"output_tokens\":1}}}"),
          event(
              "content_block_start",
              "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    }

    @Override
    String text(String text) {
      return event(
          "content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
              + text
              + "\"}}");
    }

    @Override
    List<String> toolCall(String name, String arguments) {
      return List.of(
          text("Calling the tool."),
          event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
          event(
              "content_block_start",
              "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                  + "\"id\":\"toolu_bench1\",\"name\":\""
                  + name
                  + "\",\"input\":{}}}"),
          event(
              "content_block_delta",
              "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                  + "\"partial_json\":"
                  + quote(arguments)
                  + "}}"));
    }

    @Override
    List<String> tail(boolean tool) {
      return List.of(
          event(
              "content_block_stop",
              "{\"type\":\"content_block_stop\",\"index\":" + (tool ? 1 : 0) + "}"),
          event(
              "message_delta",
              "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
                  + (tool ? "tool_use" : "end_turn")
                  + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}"),
          event("message_stop", "{\"type\":\"message_stop\"}"));
    }

    private static String event(String name, String data) {
      return "event: " + name + "\ndata: " + data + "\n\n";
    }
  };

  /** Frames before the first text chunk. */
  abstract List<String> head();

  /** One text chunk ({@code text} must not need JSON escaping). */
  abstract String text(String text);

  /** A complete tool call with its JSON arguments. */
  abstract List<String> toolCall(String name, String arguments);

  /** Frames that end the reply (stop reason, usage, end marker). */
  abstract List<String> tail(boolean tool);

  /**
   * Anthropic's message_start with a text block open, reporting usage as Anthropic does with prompt
   * caching: {@code input_tokens} is only the part neither read from nor written to the cache.
   */
  static String anthropicStart(long input, long cacheRead, long cacheWrite) {
    return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"bench-model\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":"
        + input
        + ",\"cache_read_input_tokens\":"
        + cacheRead
        + ",\"cache_creation_input_tokens\":"
        + cacheWrite
        + ",\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
  }

  /** An Anthropic tool call with its own id (after the open text block), as {@link #toolCall}. */
  static List<String> anthropicToolCall(String id, String name, String arguments) {
    return ANTHROPIC.toolCall(name, arguments).stream()
        .map(frame -> frame.replace("toolu_bench1", id))
        .toList();
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}

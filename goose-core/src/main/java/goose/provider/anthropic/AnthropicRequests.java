package goose.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.json.Json;
import goose.provider.ModelLimits;
import goose.provider.ProviderRequest;
import goose.tool.ToolSpec;
import java.util.List;
import java.util.OptionalInt;

/**
 * Builds the Messages API request body. Tool schemas are inserted as the very JSON tree the tool
 * gave; thinking blocks go back with their signature (Anthropic rejects a tool-use turn whose
 * thinking was altered); thinking from other providers (no signature) is left out; empty text
 * blocks, which the API rejects, are skipped.
 *
 * <p>With prompt caching on ({@link ProviderRequest#cached()}) the body carries the API's maximum
 * of four {@code cache_control} breakpoints, where goose puts them: the system prompt, the last
 * tool, and the last block of each of the two newest user messages. The API caches the prefix up to
 * each breakpoint; the newest one writes this request's prefix, the one before it finds the
 * previous request's (a tool loop adds a few blocks per step, and the API looks back only about
 * twenty blocks from a breakpoint for an earlier cache entry).
 */
final class AnthropicRequests {
  /** Cache breakpoints on messages: the two newest user messages (with system and tools, four). */
  static final int MESSAGE_BREAKPOINTS = 2;

  private AnthropicRequests() {}

  static ObjectNode body(String model, ProviderRequest request, OptionalInt thinkingBudget) {
    ObjectNode body = Json.object().put("model", model);
    int maxTokens =
        request.maxOutputTokens() > 0
            ? request.maxOutputTokens()
            : ModelLimits.maxOutputTokens(model);
    if (thinkingBudget.isPresent()) {
      // The API wants the thinking budget below max_tokens; it counts inside max_tokens.
      if (maxTokens <= thinkingBudget.getAsInt()) maxTokens += thinkingBudget.getAsInt();
      body.putObject("thinking")
          .put("type", "enabled")
          .put("budget_tokens", thinkingBudget.getAsInt());
    }
    body.put("max_tokens", maxTokens);
    boolean cached = request.cached();
    if (!request.systemPrompt().isEmpty()) {
      if (cached) {
        ObjectNode system =
            body.putArray("system")
                .addObject()
                .put("type", "text")
                .put("text", request.systemPrompt());
        breakpoint(system);
      } else {
        body.put("system", request.systemPrompt());
      }
    }
    ArrayNode messages = body.putArray("messages");
    for (Message m : request.messages()) {
      ArrayNode blocks = Json.MAPPER.createArrayNode();
      for (Content c : m.content()) block(c).ifPresent(blocks::add);
      if (blocks.isEmpty()) continue;
      ObjectNode msg = messages.addObject().put("role", m.role().wire());
      msg.set("content", blocks);
    }
    if (cached) markNewestUserMessages(messages);
    if (!request.tools().isEmpty()) body.set("tools", tools(request.tools(), cached));
    body.put("stream", true);
    return body;
  }

  private static void markNewestUserMessages(ArrayNode messages) {
    int marked = 0;
    for (int i = messages.size() - 1; i >= 0 && marked < MESSAGE_BREAKPOINTS; i--) {
      JsonNode msg = messages.get(i);
      if (!"user".equals(msg.path("role").asText())) continue;
      JsonNode blocks = msg.path("content");
      if (blocks.isEmpty()) continue; // every block was empty text, which is left out
      breakpoint((ObjectNode) blocks.get(blocks.size() - 1));
      marked++;
    }
  }

  private static void breakpoint(ObjectNode block) {
    block.putObject("cache_control").put("type", "ephemeral");
  }

  private static ArrayNode tools(List<ToolSpec> tools, boolean cached) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (ToolSpec t : tools) {
      ObjectNode tool = out.addObject().put("name", t.name());
      if (!t.description().isEmpty()) tool.put("description", t.description());
      tool.set("input_schema", t.inputSchema());
    }
    if (cached) breakpoint((ObjectNode) out.get(out.size() - 1));
    return out;
  }

  private static java.util.Optional<ObjectNode> block(Content c) {
    ObjectNode b = Json.object();
    switch (c) {
      case Content.Text t -> {
        if (t.text().isEmpty()) return java.util.Optional.empty();
        b.put("type", "text").put("text", t.text());
      }
      case Content.Image i -> image(b, i);
      case Content.ToolRequest r -> {
        b.put("type", "tool_use").put("id", r.id()).put("name", r.name());
        b.set("input", r.arguments());
      }
      case Content.ToolResponse r -> {
        b.put("type", "tool_result").put("tool_use_id", r.id());
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (Content part : r.content()) {
          switch (part) {
            case Content.Text t when !t.text().isEmpty() ->
                parts.addObject().put("type", "text").put("text", t.text());
            case Content.Image i -> image(parts.addObject(), i);
            default -> {} // only text and images can be tool results
          }
        }
        if (!parts.isEmpty()) b.set("content", parts);
        if (r.isError()) b.put("is_error", true);
      }
      case Content.Thinking t -> {
        if (t.signature().isEmpty()) return java.util.Optional.empty();
        b.put("type", "thinking").put("thinking", t.text()).put("signature", t.signature());
      }
      case Content.RedactedThinking r -> b.put("type", "redacted_thinking").put("data", r.data());
    }
    return java.util.Optional.of(b);
  }

  private static void image(ObjectNode b, Content.Image i) {
    b.put("type", "image")
        .putObject("source")
        .put("type", "base64")
        .put("media_type", i.mimeType())
        .put("data", i.data());
  }
}

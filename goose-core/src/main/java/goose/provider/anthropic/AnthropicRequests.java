package goose.provider.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.json.Json;
import goose.provider.ProviderRequest;
import goose.tool.ToolSpec;
import java.util.List;
import java.util.OptionalInt;

/**
 * Builds the Messages API request body. Tool schemas are inserted as the very JSON tree the tool
 * gave; thinking blocks go back with their signature (Anthropic rejects a tool-use turn whose
 * thinking was altered); thinking from other providers (no signature) is left out; empty text
 * blocks, which the API rejects, are skipped.
 */
final class AnthropicRequests {
  static final int DEFAULT_MAX_TOKENS = 8192;

  private AnthropicRequests() {}

  static ObjectNode body(String model, ProviderRequest request, OptionalInt thinkingBudget) {
    ObjectNode body = Json.object().put("model", model);
    int maxTokens = request.maxOutputTokens() > 0 ? request.maxOutputTokens() : DEFAULT_MAX_TOKENS;
    if (thinkingBudget.isPresent()) {
      maxTokens += thinkingBudget.getAsInt();
      body.putObject("thinking")
          .put("type", "enabled")
          .put("budget_tokens", thinkingBudget.getAsInt());
    }
    body.put("max_tokens", maxTokens);
    if (!request.systemPrompt().isEmpty()) body.put("system", request.systemPrompt());
    ArrayNode messages = body.putArray("messages");
    for (Message m : request.messages()) {
      ArrayNode blocks = Json.MAPPER.createArrayNode();
      for (Content c : m.content()) block(c).ifPresent(blocks::add);
      if (blocks.isEmpty()) continue;
      ObjectNode msg = messages.addObject().put("role", m.role().wire());
      msg.set("content", blocks);
    }
    if (!request.tools().isEmpty()) body.set("tools", tools(request.tools()));
    body.put("stream", true);
    return body;
  }

  private static ArrayNode tools(List<ToolSpec> tools) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (ToolSpec t : tools) {
      ObjectNode tool = out.addObject().put("name", t.name());
      if (!t.description().isEmpty()) tool.put("description", t.description());
      tool.set("input_schema", t.inputSchema());
    }
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

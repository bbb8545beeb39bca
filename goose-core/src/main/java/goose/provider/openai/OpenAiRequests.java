package goose.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.json.Json;
import goose.provider.ProviderRequest;
import goose.tool.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Chat Completions request body. Tool results become {@code role: tool} messages right
 * after the assistant message that asked for them (the API requires it); images of tool results,
 * which tool messages cannot carry, follow in a user message. Thinking is not sent back (the API
 * has no place for it). Tool schemas go as {@code function.parameters}, the tool's JSON tree
 * untouched. The prefix is laid out for OpenAI's automatic prompt caching: system prompt, then the
 * conversation in order, tools in a stable order, so consecutive calls share their longest possible
 * prefix; where the endpoint takes it, {@code prompt_cache_key} (the session id) keeps a session's
 * calls on the same cache.
 */
final class OpenAiRequests {
  private OpenAiRequests() {}

  static ObjectNode body(String model, ProviderRequest request, OpenAiEndpoint endpoint) {
    ObjectNode body = Json.object().put("model", model);
    ArrayNode messages = body.putArray("messages");
    if (!request.systemPrompt().isEmpty())
      messages.addObject().put("role", "system").put("content", request.systemPrompt());
    for (Message m : request.messages()) {
      if (m.role() == Role.ASSISTANT) assistant(m, messages);
      else user(m, messages);
    }
    if (!request.tools().isEmpty()) body.set("tools", tools(request.tools()));
    if (request.maxOutputTokens() > 0)
      body.put(endpoint.maxTokensField(), request.maxOutputTokens());
    if (endpoint.promptCacheKey())
      request.cacheKey().ifPresent(k -> body.put("prompt_cache_key", k));
    body.put("stream", true);
    if (endpoint.streamUsage()) body.putObject("stream_options").put("include_usage", true);
    return body;
  }

  private static ArrayNode tools(List<ToolSpec> tools) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (ToolSpec t : tools) {
      ObjectNode fn =
          out.addObject().put("type", "function").putObject("function").put("name", t.name());
      if (!t.description().isEmpty()) fn.put("description", t.description());
      fn.set("parameters", t.inputSchema());
    }
    return out;
  }

  private static void assistant(Message m, ArrayNode messages) {
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (Content c : m.content()) {
      if (c instanceof Content.Text t) text.append(t.text());
      if (c instanceof Content.ToolRequest r) {
        ObjectNode call = calls.addObject().put("id", r.id()).put("type", "function");
        call.putObject("function")
            .put("name", r.name())
            .put("arguments", Json.write(r.arguments()));
      }
    }
    if (text.isEmpty() && calls.isEmpty()) return;
    ObjectNode msg = messages.addObject().put("role", "assistant");
    if (text.isEmpty()) msg.putNull("content");
    else msg.put("content", text.toString());
    if (!calls.isEmpty()) msg.set("tool_calls", calls);
  }

  private static void user(Message m, ArrayNode messages) {
    List<Content> rest = new ArrayList<>();
    for (Content c : m.content()) {
      if (c instanceof Content.ToolResponse r) {
        String text = r.text();
        if (text.isEmpty()) text = r.isError() ? "error" : "(no output)";
        else if (r.isError()) text = "Error: " + text;
        messages.addObject().put("role", "tool").put("tool_call_id", r.id()).put("content", text);
        r.content().stream().filter(Content.Image.class::isInstance).forEach(rest::add);
      } else {
        rest.add(c);
      }
    }
    boolean images = rest.stream().anyMatch(Content.Image.class::isInstance);
    if (!images) {
      StringBuilder text = new StringBuilder();
      for (Content c : rest) {
        if (c instanceof Content.Text t && !t.text().isEmpty())
          text.append(text.isEmpty() ? "" : "\n\n").append(t.text());
      }
      if (!text.isEmpty()) messages.addObject().put("role", "user").put("content", text.toString());
      return;
    }
    ArrayNode parts = messages.addObject().put("role", "user").putArray("content");
    for (Content c : rest) {
      switch (c) {
        case Content.Text t when !t.text().isEmpty() ->
            parts.addObject().put("type", "text").put("text", t.text());
        case Content.Image i ->
            parts
                .addObject()
                .put("type", "image_url")
                .putObject("image_url")
                .put("url", "data:" + i.mimeType() + ";base64," + i.data());
        default -> {} // thinking and tool parts have no place in a user message
      }
    }
  }
}

package goose.provider.google;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.json.Json;
import goose.provider.ProviderRequest;
import goose.tool.ToolSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the Gemini {@code generateContent} body. Tool schemas go as {@code parametersJsonSchema},
 * which takes full JSON Schema ($ref, oneOf, additionalProperties...) — the older {@code
 * parameters} field takes an OpenAPI subset and would force a lossy conversion. Function responses
 * carry the function's name, looked up from the request with the same id. Calls sent back get
 * Google's documented placeholder thought signature, since goose does not keep Gemini's own.
 */
final class GoogleRequests {
  static final String PLACEHOLDER_SIGNATURE = "skip_thought_signature_validator";

  private GoogleRequests() {}

  static ObjectNode body(ProviderRequest request) {
    ObjectNode body = Json.object();
    if (!request.systemPrompt().isEmpty()) {
      body.putObject("systemInstruction")
          .putArray("parts")
          .addObject()
          .put("text", request.systemPrompt());
    }
    Map<String, String> toolNames = new HashMap<>();
    ArrayNode contents = body.putArray("contents");
    for (Message m : request.messages()) {
      ArrayNode parts = Json.MAPPER.createArrayNode();
      for (Content c : m.content()) {
        switch (c) {
          case Content.Text t -> {
            if (!t.text().isEmpty()) parts.addObject().put("text", t.text());
          }
          case Content.Image i ->
              parts
                  .addObject()
                  .putObject("inlineData")
                  .put("mimeType", i.mimeType())
                  .put("data", i.data());
          case Content.ToolRequest r -> {
            toolNames.put(r.id(), r.name());
            ObjectNode part = parts.addObject();
            part.putObject("functionCall").put("name", r.name()).set("args", r.arguments());
            part.put("thoughtSignature", PLACEHOLDER_SIGNATURE);
          }
          case Content.ToolResponse r -> {
            ObjectNode fr =
                parts
                    .addObject()
                    .putObject("functionResponse")
                    .put("name", toolNames.getOrDefault(r.id(), r.id()));
            fr.putObject("response").put(r.isError() ? "error" : "result", r.text());
          }
          case Content.Thinking t -> {} // Gemini's thoughts are not sent back
          case Content.RedactedThinking r -> {}
        }
      }
      if (parts.isEmpty()) continue;
      ObjectNode content =
          contents.addObject().put("role", m.role() == Role.ASSISTANT ? "model" : "user");
      content.set("parts", parts);
    }
    if (!request.tools().isEmpty()) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      for (ToolSpec t : request.tools()) {
        ObjectNode d = declarations.addObject().put("name", t.name());
        if (!t.description().isEmpty()) d.put("description", t.description());
        d.set("parametersJsonSchema", t.inputSchema());
      }
    }
    if (request.maxOutputTokens() > 0)
      body.putObject("generationConfig").put("maxOutputTokens", request.maxOutputTokens());
    return body;
  }
}

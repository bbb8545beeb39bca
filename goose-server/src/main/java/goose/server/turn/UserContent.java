package goose.server.turn;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.Content;
import goose.server.http.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code content} of a user message: a string, or an array of text and image parts. Parts
 * a user cannot send (tool requests, tool responses, thinking) and empty messages are refused with
 * a 400 naming the field.
 */
final class UserContent {
  static final int MAX_PARTS = 100;

  private UserContent() {}

  static List<Content> parse(JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) {
      throw ApiException.badField("content", "is required");
    }
    if (content.isTextual()) {
      if (content.asText().isBlank()) throw ApiException.badField("content", "must not be empty");
      return List.of(new Content.Text(content.asText()));
    }
    if (!content.isArray())
      throw ApiException.badField("content", "must be a string or an array of content parts");
    if (content.isEmpty()) throw ApiException.badField("content", "must not be empty");
    if (content.size() > MAX_PARTS)
      throw ApiException.badField("content", "has more than " + MAX_PARTS + " parts");
    List<Content> parts = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) parts.add(part(content.get(i), "content[" + i + "]"));
    return parts;
  }

  private static Content part(JsonNode node, String field) {
    if (!node.isObject() || !node.path("type").isTextual()) {
      throw ApiException.badField(
          field, "must be an object with a string \"type\" (text or image)");
    }
    String type = node.get("type").asText();
    return switch (type) {
      case "text" -> {
        if (!node.path("text").isTextual() || node.get("text").asText().isEmpty()) {
          throw ApiException.badField(field + ".text", "must be a non-empty string");
        }
        yield new Content.Text(node.get("text").asText());
      }
      case "image" -> {
        if (!node.path("data").isTextual() || !node.path("mime_type").isTextual()) {
          throw ApiException.badField(
              field, "an image needs string fields data (base64) and mime_type");
        }
        String mime = node.get("mime_type").asText();
        if (!mime.matches("image/(png|jpeg|gif|webp)")) {
          throw ApiException.badField(
              field + ".mime_type", "must be image/png, image/jpeg, image/gif or image/webp");
        }
        if (!Content.Image.isBase64(node.get("data").asText()))
          throw ApiException.badField(field + ".data", "is not valid base64");
        yield new Content.Image(node.get("data").asText(), mime);
      }
      default ->
          throw ApiException.badField(
              field + ".type",
              "must be text or image (a user message cannot carry "
                  + type.replaceAll("[^a-z_]", "?")
                  + ")");
    };
  }
}

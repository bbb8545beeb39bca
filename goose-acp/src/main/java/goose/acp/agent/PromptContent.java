package goose.acp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import goose.acp.rpc.RpcException;
import goose.conversation.Content;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code prompt} of {@code session/prompt}: text, images, resource links and embedded
 * resources (what {@code promptCapabilities} announces), into the parts of the user message. A link
 * becomes a line naming it; an embedded text resource is quoted with its URI; an embedded image
 * blob becomes an image. Anything else (audio, other binary blobs) is refused naming the block.
 */
final class PromptContent {
  static final int MAX_BLOCKS = 100;
  private static final Set<String> IMAGE_TYPES =
      Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

  private PromptContent() {}

  static List<Content> parse(JsonNode prompt) {
    if (prompt == null || !prompt.isArray() || prompt.isEmpty())
      throw RpcException.invalidParams("prompt must be a non-empty array of content blocks");
    if (prompt.size() > MAX_BLOCKS)
      throw RpcException.invalidParams("prompt has more than " + MAX_BLOCKS + " blocks");
    List<Content> parts = new ArrayList<>();
    for (int i = 0; i < prompt.size(); i++) parts.add(block(prompt.get(i), "prompt[" + i + "]"));
    return parts;
  }

  private static Content block(JsonNode b, String where) {
    String type = b.path("type").asText("");
    return switch (type) {
      case "text" -> new Content.Text(text(b, "text", where));
      case "image" -> image(text(b, "data", where), text(b, "mimeType", where), where);
      case "resource_link" -> {
        String uri = text(b, "uri", where);
        String name = b.path("name").asText(uri);
        yield new Content.Text("[" + name + "](" + uri + ")");
      }
      case "resource" -> embedded(b.path("resource"), where + ".resource");
      case "audio" -> throw RpcException.invalidParams(where + ": audio is not supported");
      default ->
          throw RpcException.invalidParams(
              where + ".type must be text, image, resource_link or resource");
    };
  }

  private static Content embedded(JsonNode r, String where) {
    String uri = text(r, "uri", where);
    if (r.path("text").isTextual())
      return new Content.Text("Contents of " + uri + ":\n```\n" + r.get("text").asText() + "\n```");
    String mime = r.path("mimeType").asText("");
    if (r.path("blob").isTextual() && IMAGE_TYPES.contains(mime))
      return image(r.get("blob").asText(), mime, where);
    throw RpcException.invalidParams(
        where + ": only text resources and images (png, jpeg, gif, webp) can be embedded");
  }

  private static Content image(String data, String mime, String where) {
    if (!IMAGE_TYPES.contains(mime))
      throw RpcException.invalidParams(
          where + ".mimeType must be image/png, image/jpeg, image/gif or image/webp");
    if (!Content.Image.isBase64(data))
      throw RpcException.invalidParams(where + ".data is not valid base64");
    return new Content.Image(data, mime);
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty())
      throw RpcException.invalidParams(where + "." + field + " must be a non-empty string");
    return v.asText();
  }
}

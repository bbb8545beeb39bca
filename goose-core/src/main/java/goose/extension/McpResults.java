package goose.extension;

import goose.conversation.Content;
import goose.json.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps an MCP {@code tools/call} result onto a {@link Content.ToolResponse}. Text and images pass
 * through; embedded text resources become text; other kinds (audio, binary blobs, links) become a
 * short text note (the SDK's content types are not sealed, so unknown kinds get one too), since
 * providers take text and images only. Structured content is sent as JSON text when the server gave
 * no text of its own (the spec asks servers to send both; not all do).
 */
final class McpResults {
  private McpResults() {}

  static Content.ToolResponse toResponse(String id, McpSchema.CallToolResult result) {
    List<Content> parts = new ArrayList<>();
    boolean hasText = false;
    if (result.content() != null) {
      for (McpSchema.Content c : result.content()) {
        Content part =
            switch (c) {
              case McpSchema.TextContent t -> new Content.Text(t.text() == null ? "" : t.text());
              case McpSchema.ImageContent i ->
                  new Content.Image(i.data(), i.mimeType() == null ? "image/png" : i.mimeType());
              case McpSchema.AudioContent a ->
                  new Content.Text("[audio content, " + a.mimeType() + ", not shown]");
              case McpSchema.EmbeddedResource r -> resource(r.resource());
              case McpSchema.ResourceLink l ->
                  new Content.Text(
                      "[resource "
                          + l.uri()
                          + (l.name() == null ? "" : " (" + l.name() + ")")
                          + "]");
              default -> new Content.Text("[" + c.type() + " content, not shown]");
            };
        hasText |= part instanceof Content.Text;
        parts.add(part);
      }
    }
    if (result.structuredContent() != null && !hasText) {
      parts.add(new Content.Text(Json.write(result.structuredContent())));
    }
    return new Content.ToolResponse(id, parts, Boolean.TRUE.equals(result.isError()));
  }

  private static Content resource(McpSchema.ResourceContents contents) {
    return switch (contents) {
      case McpSchema.TextResourceContents t -> new Content.Text(t.text() == null ? "" : t.text());
      case McpSchema.BlobResourceContents b ->
          new Content.Text("[binary resource " + b.uri() + ", " + b.mimeType() + ", not shown]");
      default -> new Content.Text("[resource " + contents.uri() + ", not shown]");
    };
  }
}

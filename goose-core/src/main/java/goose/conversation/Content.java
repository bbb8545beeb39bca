package goose.conversation;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One part of a message. A sealed family, so every {@code switch} over it is exhaustive. On the
 * wire each part carries its {@code type}: text, image, tool_request, tool_response, thinking,
 * redacted_thinking.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Content.Text.class, name = "text"),
  @JsonSubTypes.Type(value = Content.Image.class, name = "image"),
  @JsonSubTypes.Type(value = Content.ToolRequest.class, name = "tool_request"),
  @JsonSubTypes.Type(value = Content.ToolResponse.class, name = "tool_response"),
  @JsonSubTypes.Type(value = Content.Thinking.class, name = "thinking"),
  @JsonSubTypes.Type(value = Content.RedactedThinking.class, name = "redacted_thinking"),
})
public sealed interface Content {

  record Text(String text) implements Content {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /** An image as base64 data with its MIME type (image/png, image/jpeg, ...). */
  record Image(String data, String mimeType) implements Content {
    public Image {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(mimeType, "mime_type");
    }

    /** Whether {@code data} is base64 (each face checks an image it takes in with this). */
    public static boolean isBase64(String data) {
      try {
        java.util.Base64.getDecoder().decode(data);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
  }

  /** The model asks for a tool call; {@code arguments} is the JSON object it produced. */
  record ToolRequest(String id, String name, ObjectNode arguments) implements Content {
    public ToolRequest {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(arguments, "arguments");
    }
  }

  /** The result of a tool call, matched to its request by {@code id}. Parts are text or images. */
  record ToolResponse(String id, List<Content> content, boolean isError) implements Content {
    public ToolResponse {
      Objects.requireNonNull(id, "id");
      content = List.copyOf(content);
    }

    public static ToolResponse error(String id, String message) {
      return new ToolResponse(id, List.of(new Text(message)), true);
    }

    /** The text parts joined, for logs and providers that take tool results as a string. */
    public String text() {
      StringBuilder sb = new StringBuilder();
      for (Content c : content) {
        if (c instanceof Text t) {
          if (!sb.isEmpty()) sb.append('\n');
          sb.append(t.text());
        }
      }
      return sb.toString();
    }
  }

  /**
   * Model reasoning; {@code signature} (possibly empty) must be sent back verbatim to Anthropic.
   */
  record Thinking(String text, String signature) implements Content {
    public Thinking {
      Objects.requireNonNull(text, "text");
      signature = signature == null ? "" : signature;
    }
  }

  record RedactedThinking(String data) implements Content {
    public RedactedThinking {
      Objects.requireNonNull(data, "data");
    }
  }

  static Text text(String text) {
    return new Text(text);
  }
}

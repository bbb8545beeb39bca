package goose.acp.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/** A piece of content the agent sends (message chunks, tool output): text or an image. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ContentBlock.Text.class, name = "text"),
  @JsonSubTypes.Type(value = ContentBlock.Image.class, name = "image"),
})
public sealed interface ContentBlock {
  record Text(String text) implements ContentBlock {
    public Text {
      Objects.requireNonNull(text);
    }
  }

  record Image(String data, String mimeType) implements ContentBlock {
    public Image {
      Objects.requireNonNull(data);
      Objects.requireNonNull(mimeType);
    }
  }
}

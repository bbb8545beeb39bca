package goose.acp.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Optional;

/** What a tool call shows: ordinary content, or a file edit as a diff editors can render. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ToolCallContent.Content.class, name = "content"),
  @JsonSubTypes.Type(value = ToolCallContent.Diff.class, name = "diff"),
})
public sealed interface ToolCallContent {
  record Content(ContentBlock content) implements ToolCallContent {}

  /** {@code oldText} empty for a new file (or one written whole). */
  record Diff(String path, Optional<String> oldText, String newText) implements ToolCallContent {}
}

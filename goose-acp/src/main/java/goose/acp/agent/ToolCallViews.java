package goose.acp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import goose.acp.wire.ContentBlock;
import goose.acp.wire.PlanEntry;
import goose.acp.wire.ToolCallContent;
import goose.acp.wire.ToolCallLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a tool call looks to an ACP client, from its tool name and arguments alone (so live updates
 * and a replay show the same): a title, a kind (read, edit, execute, think, other), the files it
 * touches, the diff of a text-editor edit, and the plan a todo list makes.
 */
final class ToolCallViews {
  static final String TEXT_EDITOR = "developer__text_editor";
  static final String SHELL = "developer__shell";
  static final String TODO_WRITE = "todo__todo_write";
  private static final int TITLE_MAX = 120;

  private ToolCallViews() {}

  static String title(String tool, JsonNode args) {
    return switch (tool) {
      case SHELL -> clip("shell · " + args.path("command").asText(""));
      case TEXT_EDITOR ->
          clip(args.path("command").asText("text_editor") + " · " + args.path("path").asText(""));
      default -> {
        int sep = tool.indexOf("__");
        yield sep > 0
            ? tool.substring(0, sep) + ": " + tool.substring(sep + 2).replace('_', ' ')
            : tool;
      }
    };
  }

  static String kind(String tool, JsonNode args) {
    if (tool.equals(SHELL)) return "execute";
    if (tool.equals(TEXT_EDITOR))
      return args.path("command").asText().equals("view") ? "read" : "edit";
    if (tool.startsWith("todo__")) return "think";
    return "other";
  }

  static List<ToolCallLocation> locations(String tool, JsonNode args) {
    if (!tool.equals(TEXT_EDITOR) || !args.path("path").isTextual()) return List.of();
    Optional<Integer> line =
        switch (args.path("command").asText()) {
          case "view" ->
              args.path("view_range").isArray()
                  ? Optional.of(args.path("view_range").path(0).asInt(1))
                  : Optional.empty();
          case "insert" -> Optional.of(args.path("insert_line").asInt(0) + 1);
          default -> Optional.empty();
        };
    return List.of(new ToolCallLocation(args.get("path").asText(), line));
  }

  /**
   * The edit a successful text-editor call made, as a diff: the region replaced (str_replace), the
   * text inserted, or the whole new content (write, with no old text). Empty for other calls.
   */
  static Optional<ToolCallContent.Diff> diff(String tool, JsonNode args) {
    if (!tool.equals(TEXT_EDITOR) || !args.path("path").isTextual()) return Optional.empty();
    String path = args.get("path").asText();
    return switch (args.path("command").asText()) {
      case "write" ->
          Optional.of(
              new ToolCallContent.Diff(path, Optional.empty(), args.path("file_text").asText("")));
      case "str_replace" ->
          Optional.of(
              new ToolCallContent.Diff(
                  path,
                  Optional.of(args.path("old_str").asText("")),
                  args.path("new_str").asText("")));
      case "insert" ->
          Optional.of(
              new ToolCallContent.Diff(path, Optional.of(""), args.path("new_str").asText("")));
      default -> Optional.empty();
    };
  }

  /**
   * The plan of a todo_write call: one entry per markdown task line ({@code - [ ]} pending, {@code
   * - [x]} completed, {@code - [~]} or {@code - [-]} in progress); empty for other calls.
   */
  static Optional<List<PlanEntry>> plan(String tool, JsonNode args) {
    if (!tool.equals(TODO_WRITE) || !args.path("content").isTextual()) return Optional.empty();
    List<PlanEntry> entries = new ArrayList<>();
    for (String raw : args.get("content").asText().lines().toList()) {
      String line = raw.strip();
      if (!line.startsWith("- [") && !line.startsWith("* [")) continue;
      if (line.length() < 5 || line.charAt(4) != ']') continue;
      String status =
          switch (Character.toLowerCase(line.charAt(3))) {
            case 'x' -> "completed";
            case '~', '-' -> "in_progress";
            default -> "pending";
          };
      String content = line.substring(5).strip();
      if (!content.isEmpty()) entries.add(new PlanEntry(content, "medium", status));
    }
    return Optional.of(entries);
  }

  /** A tool result's parts (MCP content) as ACP tool call content: text and images. */
  static List<ToolCallContent> content(JsonNode parts) {
    List<ToolCallContent> out = new ArrayList<>();
    if (parts == null || !parts.isArray()) return out;
    for (JsonNode p : parts) {
      String type = p.path("type").asText();
      if (type.equals("text")) {
        out.add(new ToolCallContent.Content(new ContentBlock.Text(p.path("text").asText(""))));
      } else if (type.equals("image") && p.path("data").isTextual()) {
        String mime =
            p.has("mime_type")
                ? p.path("mime_type").asText()
                : p.path("mimeType").asText("image/png");
        out.add(new ToolCallContent.Content(new ContentBlock.Image(p.get("data").asText(), mime)));
      }
    }
    return out;
  }

  private static String clip(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= TITLE_MAX ? one : one.substring(0, TITLE_MAX - 1) + "…";
  }
}

package goose.builtins.developer;

import goose.builtins.Args;
import goose.builtins.ToolInputException;
import goose.tool.ToolContext;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The {@code text_editor} tool: view (with a line range), write, str_replace (the old text must
 * occur exactly once), insert and undo_edit. Relative paths resolve against the session's working
 * directory. Each edit keeps the file's previous content (per session and file, {@link #UNDO_DEPTH}
 * deep) for undo_edit.
 */
final class TextEditor {
  static final int UNDO_DEPTH = 10;
  static final int MAX_VIEW_LINES = 2000;
  static final long MAX_FILE_BYTES = 5L * 1024 * 1024;

  /** What a file held before an edit; empty when it did not exist. */
  private record Snapshot(Optional<String> content) {}

  private final Map<String, Deque<Snapshot>> history = new ConcurrentHashMap<>();

  String run(ToolContext context, Args args) throws ToolInputException, IOException {
    String command = args.text("command");
    Path path = resolve(context, args.text("path"));
    return switch (command) {
      case "view" -> view(path, args);
      case "write" -> write(context, path, args.text("file_text"));
      case "str_replace" ->
          strReplace(context, path, args.text("old_str"), args.optText("new_str").orElse(""));
      case "insert" -> insert(context, path, args);
      case "undo_edit" -> undo(context, path);
      default ->
          throw new ToolInputException(
              "unknown command '"
                  + command
                  + "': use view, write, str_replace, insert or undo_edit");
    };
  }

  private static Path resolve(ToolContext context, String raw) throws ToolInputException {
    if (raw.isBlank()) throw new ToolInputException("argument 'path' must not be empty");
    Path p = goose.config.GoosePaths.expand(raw, goose.config.GoosePaths.home(System.getenv()));
    return (p.isAbsolute() ? p : context.workingDir().resolve(p)).normalize();
  }

  private String view(Path path, Args args) throws ToolInputException, IOException {
    if (Files.isDirectory(path)) return listDirectory(path);
    List<String> lines = read(path).lines().toList();
    Optional<List<Long>> range = args.optLongs("view_range");
    int from = 1;
    int to = lines.size();
    if (range.isPresent()) {
      List<Long> r = range.get();
      if (r.size() != 2)
        throw new ToolInputException(
            "view_range must be [start, end] (1-based, end -1 for the last line)");
      from = Math.toIntExact(r.get(0));
      to = r.get(1) == -1 ? lines.size() : Math.toIntExact(r.get(1));
      if (from < 1 || from > Math.max(lines.size(), 1) || to < from || to > lines.size()) {
        throw new ToolInputException(
            "view_range ["
                + r.get(0)
                + ", "
                + r.get(1)
                + "] is outside the file's "
                + lines.size()
                + " lines");
      }
    }
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (int i = from; i <= to; i++) {
      if (shown == MAX_VIEW_LINES) {
        sb.append("[... ")
            .append(to - i + 1)
            .append(" more lines: view them with view_range ...]\n");
        break;
      }
      sb.append(i).append(": ").append(lines.get(i - 1)).append('\n');
      shown++;
    }
    return lines.isEmpty() ? "[" + path + " is empty]" : sb.toString();
  }

  private static String listDirectory(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      List<String> names =
          new ArrayList<>(
              entries
                  .map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : ""))
                  .sorted()
                  .toList());
      return names.isEmpty()
          ? "[" + dir + " is an empty directory]"
          : dir + "/\n" + String.join("\n", names);
    }
  }

  private String write(ToolContext context, Path path, String text) throws IOException {
    remember(context, path);
    if (path.getParent() != null) Files.createDirectories(path.getParent());
    Files.writeString(path, text);
    return "wrote " + text.lines().count() + " lines to " + path;
  }

  private String strReplace(ToolContext context, Path path, String oldStr, String newStr)
      throws ToolInputException, IOException {
    if (oldStr.isEmpty()) throw new ToolInputException("old_str must not be empty");
    String content = read(path);
    int first = content.indexOf(oldStr);
    if (first < 0)
      throw new ToolInputException(
          "old_str was not found in " + path + "; view the file and copy the text exactly");
    int count = 0;
    for (int i = first; i >= 0; i = content.indexOf(oldStr, i + 1)) count++;
    if (count > 1) {
      throw new ToolInputException(
          "old_str occurs "
              + count
              + " times in "
              + path
              + "; include more surrounding text so it matches exactly once");
    }
    remember(context, path);
    Files.writeString(
        path, content.substring(0, first) + newStr + content.substring(first + oldStr.length()));
    return "replaced the text in " + path;
  }

  private String insert(ToolContext context, Path path, Args args)
      throws ToolInputException, IOException {
    long at =
        args.optLong("insert_line")
            .orElseThrow(() -> new ToolInputException("missing required argument 'insert_line'"));
    String text = args.text("new_str");
    String content = read(path);
    List<String> lines = new ArrayList<>(content.lines().toList());
    if (at < 0 || at > lines.size())
      throw new ToolInputException("insert_line must be between 0 and " + lines.size());
    lines.addAll((int) at, text.lines().toList());
    remember(context, path);
    Files.writeString(
        path, String.join("\n", lines) + (content.isEmpty() || content.endsWith("\n") ? "\n" : ""));
    return "inserted " + text.lines().count() + " lines after line " + at + " of " + path;
  }

  private String undo(ToolContext context, Path path) throws ToolInputException, IOException {
    Deque<Snapshot> stack = history.get(key(context, path));
    Snapshot last;
    if (stack == null) {
      last = null;
    } else {
      synchronized (stack) {
        last = stack.pollLast();
      }
    }
    if (last == null) throw new ToolInputException("no edit of " + path + " to undo");
    if (last.content().isPresent()) {
      Files.writeString(path, last.content().get());
      return "restored " + path + " to its content before the last edit";
    }
    Files.deleteIfExists(path);
    return "removed " + path + ", which the last edit had created";
  }

  private void remember(ToolContext context, Path path) throws IOException {
    Optional<String> before =
        Files.isRegularFile(path) ? Optional.of(Files.readString(path)) : Optional.empty();
    Deque<Snapshot> stack = history.computeIfAbsent(key(context, path), k -> new ArrayDeque<>());
    synchronized (stack) {
      stack.addLast(new Snapshot(before));
      while (stack.size() > UNDO_DEPTH) stack.removeFirst();
    }
  }

  private static String key(ToolContext context, Path path) {
    return context.sessionId() + "\n" + path;
  }

  private static String read(Path path) throws ToolInputException, IOException {
    if (!Files.exists(path)) throw new ToolInputException(path + " does not exist");
    if (!Files.isRegularFile(path)) throw new ToolInputException(path + " is not a regular file");
    if (Files.size(path) > MAX_FILE_BYTES)
      throw new ToolInputException(path + " is larger than " + MAX_FILE_BYTES + " bytes");
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new ToolInputException(path + " is not UTF-8 text");
    }
  }
}

package goose.builtins.developer;

import goose.builtins.Args;
import goose.builtins.ToolInputException;
import goose.error.ErrorMessages;
import goose.sandbox.Sandbox;
import goose.sandbox.WorkspaceFiles;
import goose.sandbox.WorkspaceFiles.Kind;
import goose.tool.ToolContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code text_editor} tool: view (with a line range), write, str_replace (the old text must
 * occur exactly once), insert and undo_edit. Relative paths resolve against the session's working
 * directory. Each edit keeps the file's previous content (per session and file, {@link #UNDO_DEPTH}
 * deep) for undo_edit. Every file is reached through the {@link Sandbox}'s view of the session's
 * workspace ({@link WorkspaceFiles}): with the sandbox on, nothing outside the workspace, even
 * through a symbolic link or {@code ..}.
 */
final class TextEditor {
  static final int UNDO_DEPTH = 10;
  static final int MAX_VIEW_LINES = 2000;
  static final long MAX_FILE_BYTES = 5L * 1024 * 1024;

  /** What a file held before an edit; empty when it did not exist. */
  private record Snapshot(Optional<String> content) {}

  private final Map<String, Deque<Snapshot>> history = new ConcurrentHashMap<>();
  private final Sandbox sandbox;

  TextEditor(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  String run(ToolContext context, Args args) throws ToolInputException, IOException {
    String command = args.text("command");
    String raw = args.text("path");
    if (raw.isBlank()) throw new ToolInputException("argument 'path' must not be empty");
    WorkspaceFiles files = sandbox.files(context.workingDir());
    Path path;
    try {
      path = files.resolve(raw);
    } catch (WorkspaceFiles.FileRefusedException e) {
      throw new ToolInputException(ErrorMessages.of(e));
    }
    return switch (command) {
      case "view" -> view(files, path, args);
      case "write" -> write(context, files, path, args.text("file_text"));
      case "str_replace" ->
          strReplace(
              context, files, path, args.text("old_str"), args.optText("new_str").orElse(""));
      case "insert" -> insert(context, files, path, args);
      case "undo_edit" -> undo(context, files, path);
      default ->
          throw new ToolInputException(
              "unknown command '"
                  + command
                  + "': use view, write, str_replace, insert or undo_edit");
    };
  }

  private String view(WorkspaceFiles files, Path path, Args args)
      throws ToolInputException, IOException {
    if (files.kind(path) == Kind.DIRECTORY) return listDirectory(files, path);
    List<String> lines = read(files, path).lines().toList();
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

  private static String listDirectory(WorkspaceFiles files, Path dir) throws IOException {
    List<String> names =
        files.list(dir).stream()
            .map(e -> e.name() + (e.kind() == Kind.DIRECTORY ? "/" : ""))
            .toList();
    return names.isEmpty()
        ? "[" + dir + " is an empty directory]"
        : dir + "/\n" + String.join("\n", names);
  }

  private String write(ToolContext context, WorkspaceFiles files, Path path, String text)
      throws ToolInputException, IOException {
    if (files.kind(path) == Kind.DIRECTORY || files.kind(path) == Kind.OTHER)
      throw new ToolInputException(path + " is not a regular file");
    remember(context, files, path);
    files.write(path, utf8(text));
    return "wrote " + text.lines().count() + " lines to " + path;
  }

  private String strReplace(
      ToolContext context, WorkspaceFiles files, Path path, String oldStr, String newStr)
      throws ToolInputException, IOException {
    if (oldStr.isEmpty()) throw new ToolInputException("old_str must not be empty");
    String content = read(files, path);
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
    remember(context, files, path);
    files.write(
        path,
        utf8(content.substring(0, first) + newStr + content.substring(first + oldStr.length())));
    return "replaced the text in " + path;
  }

  private String insert(ToolContext context, WorkspaceFiles files, Path path, Args args)
      throws ToolInputException, IOException {
    long at =
        args.optLong("insert_line")
            .orElseThrow(() -> new ToolInputException("missing required argument 'insert_line'"));
    String text = args.text("new_str");
    String content = read(files, path);
    List<String> lines = new ArrayList<>(content.lines().toList());
    if (at < 0 || at > lines.size())
      throw new ToolInputException("insert_line must be between 0 and " + lines.size());
    lines.addAll((int) at, text.lines().toList());
    remember(context, files, path);
    files.write(
        path,
        utf8(String.join("\n", lines) + (content.isEmpty() || content.endsWith("\n") ? "\n" : "")));
    return "inserted " + text.lines().count() + " lines after line " + at + " of " + path;
  }

  private String undo(ToolContext context, WorkspaceFiles files, Path path)
      throws ToolInputException, IOException {
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
      files.write(path, utf8(last.content().get()));
      return "restored " + path + " to its content before the last edit";
    }
    files.delete(path);
    return "removed " + path + ", which the last edit had created";
  }

  private void remember(ToolContext context, WorkspaceFiles files, Path path)
      throws ToolInputException, IOException {
    Optional<String> before =
        files.kind(path) == Kind.FILE ? Optional.of(read(files, path)) : Optional.empty();
    Deque<Snapshot> stack = history.computeIfAbsent(key(context, path), k -> new ArrayDeque<>());
    synchronized (stack) {
      stack.addLast(new Snapshot(before));
      while (stack.size() > UNDO_DEPTH) stack.removeFirst();
    }
  }

  private static String key(ToolContext context, Path path) {
    return context.sessionId() + "\n" + path;
  }

  private static String read(WorkspaceFiles files, Path path)
      throws ToolInputException, IOException {
    Kind kind = files.kind(path);
    if (kind == Kind.MISSING) throw new ToolInputException(path + " does not exist");
    if (kind != Kind.FILE) throw new ToolInputException(path + " is not a regular file");
    if (files.size(path) > MAX_FILE_BYTES)
      throw new ToolInputException(path + " is larger than " + MAX_FILE_BYTES + " bytes");
    byte[] bytes = files.read(path);
    if (bytes.length > MAX_FILE_BYTES)
      throw new ToolInputException(path + " is larger than " + MAX_FILE_BYTES + " bytes");
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ToolInputException(path + " is not UTF-8 text");
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

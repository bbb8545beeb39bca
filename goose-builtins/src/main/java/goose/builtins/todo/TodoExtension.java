package goose.builtins.todo;

import goose.builtins.Args;
import goose.builtins.ToolInputException;
import goose.builtins.ToolSetExtension;
import goose.notes.TodoStore;
import goose.tool.ToolContext;

/**
 * goose's {@code todo} extension: one task list per session that the agent rewrites as it works
 * ({@code todo_write} replaces it whole, {@code todo_read} returns it). Kept in the session store
 * ({@link TodoStore}, keyed by the session's user and the session), so it survives restarts and
 * compaction and every replica of a shared store reads the same list. On by default, as in goose.
 */
public final class TodoExtension extends ToolSetExtension {
  static final int MAX_CHARS = 50_000;

  private final TodoStore store;

  public TodoExtension(TodoStore store) {
    this.store = store;
    tool(
        "todo_write",
        "Replace this session's todo list with content (markdown, e.g. '- [ ] step'). Keep it current: mark "
            + "items done as you finish them. At most "
            + MAX_CHARS
            + " characters.",
        false,
        "{\"type\": \"object\", \"required\": [\"content\"], \"properties\": {\"content\": {\"type\": \"string\"}}}",
        this::write);
    tool(
        "todo_read",
        "Read this session's todo list.",
        true,
        "{\"type\": \"object\", \"properties\": {}}",
        this::read);
  }

  @Override
  public String name() {
    return "todo";
  }

  @Override
  public String description() {
    return "A task list per session that the agent keeps up to date";
  }

  @Override
  public boolean enabledByDefault() {
    return true;
  }

  @Override
  public String instructions() {
    return """
        For a task of several steps, keep a todo list with todo_write (Markdown checkboxes: \
        "- [ ] step", "- [x] done"), and keep it current: update it as you finish or add steps, \
        not only at the end. todo_write replaces the whole list. Skip it for a one-step task.""";
  }

  private String write(ToolContext ctx, Args args) throws ToolInputException {
    String content = args.text("content");
    if (content.length() > MAX_CHARS) {
      throw new ToolInputException(
          "the todo list is " + content.length() + " characters; the limit is " + MAX_CHARS);
    }
    store.write(ctx.userId(), ctx.sessionId(), content);
    long open = content.lines().filter(l -> l.strip().startsWith("- [ ]")).count();
    return "todo list saved (" + content.lines().count() + " lines, " + open + " open items)";
  }

  private String read(ToolContext ctx, Args args) {
    String content = store.read(ctx.userId(), ctx.sessionId()).orElse("");
    return content.isBlank() ? "the todo list is empty" : content;
  }
}

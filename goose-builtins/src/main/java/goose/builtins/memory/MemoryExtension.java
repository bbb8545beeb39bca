package goose.builtins.memory;

import goose.builtins.Args;
import goose.builtins.ToolInputException;
import goose.builtins.ToolSetExtension;
import goose.notes.MemoryStore;
import goose.tool.ToolContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * goose's {@code memory} extension: facts the agent remembers across sessions, in categories, with
 * tags, per user. Global memories follow the user everywhere; local ones belong to a working
 * directory. Each category is one text in goose's format (entries separated by a blank line, tags
 * on a leading {@code # tag1 tag2} line), kept in the session store ({@link MemoryStore}) so every
 * replica of a shared store sees them. Off by default, as in goose.
 */
public final class MemoryExtension extends ToolSetExtension {
  private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern TAG = Pattern.compile("[^\\s#]{1,64}");

  private final MemoryStore store;

  public MemoryExtension(MemoryStore store) {
    this.store = store;
    String scope =
        "\"is_global\": {\"type\": \"boolean\", \"description\": \"true: for this user everywhere; false (default): for this working directory only\"}";
    tool(
        "remember_memory",
        "Store a fact (data) in a category, with optional tags.",
        false,
        "{\"type\": \"object\", \"required\": [\"category\", \"data\"], \"properties\": {"
            + "\"category\": {\"type\": \"string\", \"description\": \"Letters, digits, '-' or '_'\"},"
            + "\"data\": {\"type\": \"string\"},"
            + "\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},"
            + scope
            + "}}",
        this::remember);
    tool(
        "retrieve_memories",
        "Read the memories of a category ('*' for all), optionally only those with a tag.",
        true,
        "{\"type\": \"object\", \"required\": [\"category\"], \"properties\": {"
            + "\"category\": {\"type\": \"string\"}, \"tag\": {\"type\": \"string\"},"
            + scope
            + "}}",
        this::retrieve);
    tool(
        "remove_memory_category",
        "Delete every memory of a category ('*' for all categories).",
        false,
        "{\"type\": \"object\", \"required\": [\"category\"], \"properties\": {\"category\": {\"type\": \"string\"},"
            + scope
            + "}}",
        this::removeCategory);
    tool(
        "remove_specific_memory",
        "Delete the memories of a category whose text contains memory_content.",
        false,
        "{\"type\": \"object\", \"required\": [\"category\", \"memory_content\"], \"properties\": {"
            + "\"category\": {\"type\": \"string\"}, \"memory_content\": {\"type\": \"string\"},"
            + scope
            + "}}",
        this::removeSpecific);
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String description() {
    return "Remember facts and preferences across sessions, by category and tag";
  }

  @Override
  public boolean enabledByDefault() {
    return false;
  }

  @Override
  public String instructions() {
    return """
        The memory extension keeps facts across sessions: the user's preferences, how a project is \
        built and tested, decisions and conventions. Remember something when the user asks you to, \
        or when it will clearly matter again; say that you did. Memories are grouped by category \
        (letters, digits, '-' or '_') and may carry tags; is_global true keeps one for this user \
        everywhere, otherwise it belongs to the working directory. At the start of a task that may \
        depend on earlier decisions, retrieve_memories with category '*' shows what is known.""";
  }

  private record Entry(List<String> tags, String text) {
    String render() {
      return (tags.isEmpty() ? "" : "# " + String.join(" ", tags) + "\n") + text.strip();
    }
  }

  private String remember(ToolContext ctx, Args args) throws ToolInputException {
    String category = category(args.text("category"));
    String data = args.text("data");
    if (data.isBlank()) throw new ToolInputException("argument 'data' must not be empty");
    List<String> tags = args.texts("tags");
    for (String t : tags)
      if (!TAG.matcher(t).matches())
        throw new ToolInputException("tag '" + t + "' must be one word without '#'");
    Entry entry = new Entry(tags, data.replaceAll("\n\\s*\n", "\n"));
    store.update(
        ctx.userId(),
        scope(ctx, args),
        category,
        current -> {
          List<Entry> entries = new ArrayList<>(parse(current));
          entries.add(entry);
          return render(entries);
        });
    return "remembered in '" + category + "' (" + scopeName(args) + ")";
  }

  private String retrieve(ToolContext ctx, Args args) throws ToolInputException {
    String tag = args.optText("tag").orElse(null);
    String scope = scope(ctx, args);
    StringBuilder sb = new StringBuilder();
    for (String category : categories(ctx, args, args.text("category"))) {
      List<Entry> entries =
          parse(store.read(ctx.userId(), scope, category)).stream()
              .filter(e -> tag == null || e.tags().contains(tag))
              .toList();
      if (entries.isEmpty()) continue;
      sb.append("## ").append(category).append('\n');
      entries.forEach(e -> sb.append(e.render()).append("\n\n"));
    }
    return sb.isEmpty() ? "no memories found" : sb.toString().strip();
  }

  private String removeCategory(ToolContext ctx, Args args) throws ToolInputException {
    List<String> categories = categories(ctx, args, args.text("category"));
    String scope = scope(ctx, args);
    for (String category : categories)
      store.update(ctx.userId(), scope, category, current -> Optional.empty());
    return "removed " + categories.size() + " categor" + (categories.size() == 1 ? "y" : "ies");
  }

  private String removeSpecific(ToolContext ctx, Args args) throws ToolInputException {
    String category = category(args.text("category"));
    String needle = args.text("memory_content");
    if (needle.isBlank())
      throw new ToolInputException("argument 'memory_content' must not be empty");
    AtomicInteger removed = new AtomicInteger();
    store.update(
        ctx.userId(),
        scope(ctx, args),
        category,
        current -> {
          List<Entry> entries = parse(current);
          List<Entry> kept = entries.stream().filter(e -> !e.text().contains(needle)).toList();
          removed.set(entries.size() - kept.size());
          return kept.size() == entries.size() ? current : render(kept);
        });
    int n = removed.get();
    if (n == 0) return "no memory in that category contains that text";
    return "removed " + n + " memor" + (n == 1 ? "y" : "ies");
  }

  private static String category(String raw) throws ToolInputException {
    if (!CATEGORY.matcher(raw).matches())
      throw new ToolInputException(
          "category '" + raw + "' must be 1-64 letters, digits, '-' or '_'");
    return raw;
  }

  private static String scope(ToolContext ctx, Args args) throws ToolInputException {
    return args.bool("is_global", false)
        ? MemoryStore.GLOBAL
        : MemoryStore.directory(ctx.workingDir().toAbsolutePath().normalize().toString());
  }

  private static String scopeName(Args args) throws ToolInputException {
    return args.bool("is_global", false) ? "global" : "this directory";
  }

  private List<String> categories(ToolContext ctx, Args args, String category)
      throws ToolInputException {
    if (!category.equals("*")) return List.of(category(category));
    return store.categories(ctx.userId(), scope(ctx, args));
  }

  private static List<Entry> parse(Optional<String> text) {
    if (text.isEmpty()) return List.of();
    List<Entry> out = new ArrayList<>();
    for (String block : text.get().split("\n\\s*\n", -1)) {
      String b = block.strip();
      if (b.isEmpty()) continue;
      List<String> tags = List.of();
      if (b.startsWith("#")) {
        int nl = b.indexOf('\n');
        String line = nl < 0 ? b : b.substring(0, nl);
        tags = List.of(line.substring(1).trim().split("\\s+"));
        b = nl < 0 ? "" : b.substring(nl + 1).strip();
      }
      out.add(new Entry(tags, b));
    }
    return out;
  }

  /** The category's text; empty (the category goes) when no entry is left. */
  private static Optional<String> render(List<Entry> entries) {
    if (entries.isEmpty()) return Optional.empty();
    StringBuilder sb = new StringBuilder();
    entries.forEach(e -> sb.append(e.render()).append("\n\n"));
    return Optional.of(sb.toString());
  }
}

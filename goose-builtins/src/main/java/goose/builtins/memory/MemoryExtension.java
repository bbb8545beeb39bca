package goose.builtins.memory;

import goose.builtins.Args;
import goose.builtins.StoragePaths;
import goose.builtins.ToolInputException;
import goose.builtins.ToolSetExtension;
import goose.tool.ToolContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * goose's {@code memory} extension: facts the agent remembers across sessions, in categories, with
 * tags. Global memories live in the data dir, one folder per user ({@code memory/users/ID}); local
 * ones in the working directory's {@code .goose/memory}. One text file per category, entries
 * separated by a blank line, tags on a leading {@code # tag1 tag2} line (goose's format). Off by
 * default, as in goose.
 */
public final class MemoryExtension extends ToolSetExtension {
  private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern TAG = Pattern.compile("[^\\s#]{1,64}");

  private final Path dataDir;

  public MemoryExtension(Path dataDir) {
    this.dataDir = dataDir;
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

  private record Entry(List<String> tags, String text) {
    String render() {
      return (tags.isEmpty() ? "" : "# " + String.join(" ", tags) + "\n") + text.strip();
    }
  }

  private synchronized String remember(ToolContext ctx, Args args)
      throws ToolInputException, IOException {
    Path file = file(ctx, args, category(args.text("category")));
    String data = args.text("data");
    if (data.isBlank()) throw new ToolInputException("argument 'data' must not be empty");
    List<String> tags = args.texts("tags");
    for (String t : tags)
      if (!TAG.matcher(t).matches())
        throw new ToolInputException("tag '" + t + "' must be one word without '#'");
    List<Entry> entries = new ArrayList<>(read(file));
    entries.add(new Entry(tags, data.replaceAll("\n\\s*\n", "\n")));
    write(file, entries);
    return "remembered in '"
        + file.getFileName().toString().replace(".txt", "")
        + "' ("
        + scopeName(args)
        + ")";
  }

  private synchronized String retrieve(ToolContext ctx, Args args)
      throws ToolInputException, IOException {
    String category = args.text("category");
    String tag = args.optText("tag").orElse(null);
    StringBuilder sb = new StringBuilder();
    for (Path file : files(ctx, args, category)) {
      List<Entry> entries =
          read(file).stream().filter(e -> tag == null || e.tags().contains(tag)).toList();
      if (entries.isEmpty()) continue;
      sb.append("## ").append(file.getFileName().toString().replace(".txt", "")).append('\n');
      entries.forEach(e -> sb.append(e.render()).append("\n\n"));
    }
    return sb.isEmpty() ? "no memories found" : sb.toString().strip();
  }

  private synchronized String removeCategory(ToolContext ctx, Args args)
      throws ToolInputException, IOException {
    List<Path> files = files(ctx, args, args.text("category"));
    for (Path f : files) Files.deleteIfExists(f);
    return "removed " + files.size() + " categor" + (files.size() == 1 ? "y" : "ies");
  }

  private synchronized String removeSpecific(ToolContext ctx, Args args)
      throws ToolInputException, IOException {
    Path file = file(ctx, args, category(args.text("category")));
    String needle = args.text("memory_content");
    if (needle.isBlank())
      throw new ToolInputException("argument 'memory_content' must not be empty");
    List<Entry> entries = read(file);
    List<Entry> kept = entries.stream().filter(e -> !e.text().contains(needle)).toList();
    if (kept.size() == entries.size()) return "no memory in that category contains that text";
    write(file, kept);
    return "removed "
        + (entries.size() - kept.size())
        + " memor"
        + (entries.size() - kept.size() == 1 ? "y" : "ies");
  }

  private static String category(String raw) throws ToolInputException {
    if (!CATEGORY.matcher(raw).matches())
      throw new ToolInputException(
          "category '" + raw + "' must be 1-64 letters, digits, '-' or '_'");
    return raw;
  }

  private Path dir(ToolContext ctx, Args args) throws ToolInputException {
    return args.bool("is_global", false)
        ? dataDir.resolve("memory").resolve("users").resolve(StoragePaths.segment(ctx.userId()))
        : ctx.workingDir().resolve(".goose").resolve("memory");
  }

  private static String scopeName(Args args) throws ToolInputException {
    return args.bool("is_global", false) ? "global" : "this directory";
  }

  private Path file(ToolContext ctx, Args args, String category) throws ToolInputException {
    return dir(ctx, args).resolve(category + ".txt");
  }

  private List<Path> files(ToolContext ctx, Args args, String category)
      throws ToolInputException, IOException {
    if (!category.equals("*")) {
      Path f = file(ctx, args, category(category));
      return Files.exists(f) ? List.of(f) : List.of();
    }
    Path dir = dir(ctx, args);
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
    }
  }

  private static List<Entry> read(Path file) throws IOException {
    if (!Files.exists(file)) return List.of();
    List<Entry> out = new ArrayList<>();
    for (String block : Files.readString(file).split("\n\\s*\n", -1)) {
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

  private static void write(Path file, List<Entry> entries) throws IOException {
    Files.createDirectories(file.getParent());
    if (entries.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    StringBuilder sb = new StringBuilder();
    entries.forEach(e -> sb.append(e.render()).append("\n\n"));
    Path tmp = Files.createTempFile(file.getParent(), ".memory", ".tmp");
    Files.writeString(tmp, sb.toString());
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}

package goose.testing.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Dockerfile read into its instructions: continuation lines joined, comments and the parser
 * directive dropped, {@code --flag=value} options split from the arguments. Enough to check what
 * the file refers to; the real build needs a Docker engine.
 */
public record Dockerfile(List<Instruction> instructions) {

  public record Instruction(String keyword, List<String> flags, String arguments) {
    public Optional<String> flag(String name) {
      return flags.stream()
          .filter(f -> f.startsWith("--" + name + "="))
          .map(f -> f.substring(name.length() + 3))
          .findFirst();
    }

    public List<String> words() {
      return List.of(arguments.trim().split("\\s+", -1));
    }
  }

  public static Dockerfile parse(String text) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) continue;
      if (!current.isEmpty() && trimmed.startsWith("#"))
        continue; // comment inside a continued instruction
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      out.add(instruction(current.toString()));
      current.setLength(0);
    }
    if (!current.isEmpty())
      throw new IllegalArgumentException("the Dockerfile ends inside a continued line");
    return new Dockerfile(List.copyOf(out));
  }

  private static Instruction instruction(String line) {
    String[] parts = line.split("\\s+", 2);
    String keyword = parts[0].toUpperCase(Locale.ROOT);
    String rest = parts.length > 1 ? parts[1] : "";
    List<String> flags = new ArrayList<>();
    while (rest.startsWith("--")) {
      String[] split = rest.split("\\s+", 2);
      flags.add(split[0]);
      rest = split.length > 1 ? split[1] : "";
    }
    return new Instruction(keyword, List.copyOf(flags), rest);
  }

  public List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  public Instruction last(String keyword) {
    List<Instruction> found = all(keyword);
    if (found.isEmpty()) throw new AssertionError("the Dockerfile has no " + keyword);
    return found.getLast();
  }

  /** The first RUN whose command contains {@code text}. */
  public Instruction run(String text) {
    return all("RUN").stream()
        .filter(r -> r.arguments().contains(text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no RUN instruction contains " + text));
  }

  /**
   * The instructions of the stage named {@code name} ({@code FROM image AS name}), or of the last
   * stage for an empty name.
   */
  public Dockerfile stage(String name) {
    List<List<Instruction>> stages = new ArrayList<>();
    for (Instruction i : instructions) {
      if (i.keyword().equals("FROM")) stages.add(new ArrayList<>());
      if (!stages.isEmpty()) stages.getLast().add(i);
    }
    if (name.isEmpty()) return new Dockerfile(List.copyOf(stages.getLast()));
    return stages.stream()
        .filter(s -> s.getFirst().words().size() == 3 && s.getFirst().words().get(2).equals(name))
        .findFirst()
        .map(s -> new Dockerfile(List.copyOf(s)))
        .orElseThrow(() -> new AssertionError("no stage named " + name));
  }
}

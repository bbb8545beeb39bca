package goose.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The system prompt of a turn: goose's built-in instructions, then hints. Hints come from {@code
 * .goosehints} and {@code AGENTS.md} files found from the session's working dir up to its git root
 * (outermost first, so the nearest file has the last word), and global hints from {@code
 * .goosehints} in the config dir.
 */
public final class SystemPrompt {
  static final List<String> HINT_FILES = List.of(".goosehints", "AGENTS.md");
  private static final int MAX_HINT_BYTES = 64 * 1024;

  private final Path configDir;

  public SystemPrompt(Path configDir) {
    this.configDir = configDir;
  }

  public String build(Path workingDir) {
    StringBuilder prompt = new StringBuilder(BASE);
    prompt
        .append("\n\nThe current date is ")
        .append(LocalDate.now(ZoneId.systemDefault()))
        .append('.');
    prompt.append("\nThe working directory is ").append(workingDir).append('.');
    List<String> hints = new ArrayList<>();
    read(configDir.resolve(".goosehints"), true).ifPresent(hints::add);
    for (Path dir : dirsUpToGitRoot(workingDir)) {
      for (String name : HINT_FILES) read(dir.resolve(name), false).ifPresent(hints::add);
    }
    if (!hints.isEmpty()) {
      prompt.append("\n\n# Hints\nThe user gave these instructions and facts about the project:\n");
      for (String hint : hints) prompt.append('\n').append(hint.strip()).append('\n');
    }
    return prompt.toString();
  }

  /** From the git root (or the filesystem root when there is none) down to {@code dir}. */
  static List<Path> dirsUpToGitRoot(Path dir) {
    List<Path> chain = new ArrayList<>();
    Path current = dir.toAbsolutePath().normalize();
    while (current != null) {
      chain.addFirst(current);
      if (Files.exists(current.resolve(".git"))) return chain;
      current = current.getParent();
    }
    return List.of(dir.toAbsolutePath().normalize()); // no git root: the working dir alone
  }

  /**
   * A hint file's first bytes, when it is a regular file. A workspace's files ({@code followLinks}
   * false) are never read through a symbolic link: a {@code .goosehints} pointing at the server's
   * secrets must not reach the prompt.
   */
  private static java.util.Optional<String> read(Path file, boolean followLinks) {
    java.nio.file.OpenOption[] options =
        followLinks
            ? new java.nio.file.OpenOption[] {java.nio.file.StandardOpenOption.READ}
            : new java.nio.file.OpenOption[] {
              java.nio.file.StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS
            };
    try {
      boolean regular =
          followLinks
              ? Files.isRegularFile(file)
              : Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      if (!regular) return java.util.Optional.empty();
      byte[] bytes;
      try (var in = Files.newInputStream(file, options)) {
        bytes = in.readNBytes(MAX_HINT_BYTES);
      }
      String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      return text.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(text);
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  static final String BASE =
      """
      You are goose, a general-purpose AI agent created by Block and re-implemented as goosed for the JVM. \
      You help the user by answering questions and by using the tools you are given: run them when they \
      move the task forward, read their results carefully, and keep going until the task is done or you \
      need the user's input.

      Tools come from extensions; their names have the form extension__tool. Prefer small, verifiable \
      steps. When a tool fails, read the error and adapt instead of repeating the same call. Never invent \
      tool results. Keep answers concise and use Markdown where it helps.""";
}

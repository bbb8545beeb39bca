package goose.agent;

import goose.config.Config;
import goose.config.ConfigException;
import goose.tool.ActiveExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system prompt of a session: goose's fixed instructions with the active extensions' own
 * ({@link PromptText}), then hints, then the operator's additions. Hints come from {@code
 * .goosehints} and {@code AGENTS.md} files found from the session's working dir up to its git root
 * (outermost first, so the nearest file has the last word), and global hints from {@code
 * .goosehints} in the config dir. The operator's additions are the file named by {@code
 * GOOSE_SYSTEM_PROMPT_FILE}, appended last. Nothing in it changes between the calls of a session
 * (the time and working dir are in the turn context), so it caches.
 */
public final class SystemPrompt {
  private static final Logger log = LoggerFactory.getLogger(SystemPrompt.class);
  public static final String FILE_KEY = "GOOSE_SYSTEM_PROMPT_FILE";
  static final List<String> HINT_FILES = List.of(".goosehints", "AGENTS.md");
  private static final int MAX_HINT_BYTES = 64 * 1024;
  private static final int MAX_OPERATOR_BYTES = 1024 * 1024;

  private final Path configDir;
  private final Optional<Path> operatorFile;

  public SystemPrompt(Path configDir) {
    this(configDir, Optional.empty());
  }

  /**
   * @param operatorFile appended to every prompt; must be a readable file
   */
  public SystemPrompt(Path configDir, Optional<Path> operatorFile) {
    this.configDir = configDir;
    this.operatorFile = operatorFile;
    operatorFile.ifPresent(
        f -> {
          if (!Files.isRegularFile(f) || !Files.isReadable(f))
            throw new ConfigException(FILE_KEY + ": " + f + " is not a readable file");
        });
  }

  /** With the operator's file of {@code GOOSE_SYSTEM_PROMPT_FILE}, if set. */
  public static SystemPrompt from(Config config) {
    return new SystemPrompt(
        config.paths().configDir(),
        config.get(FILE_KEY).filter(v -> !v.isBlank()).map(v -> Path.of(v.strip())));
  }

  /** The prompt without extensions (tests, and sessions whose extensions are all off). */
  public String build(Path workingDir) {
    return build(workingDir, List.of());
  }

  public String build(Path workingDir, List<ActiveExtension> extensions) {
    String fixed = PromptText.fixedPart(extensions);
    List<String> hints = new ArrayList<>();
    read(configDir.resolve(".goosehints"), true).ifPresent(hints::add);
    for (Path dir : dirsUpToGitRoot(workingDir)) {
      for (String name : HINT_FILES) read(dir.resolve(name), false).ifPresent(hints::add);
    }
    Optional<String> operator = operatorFile.flatMap(SystemPrompt::readOperatorFile);
    if (hints.isEmpty() && operator.isEmpty()) return fixed; // no copy of the (shared) fixed part
    StringBuilder prompt = new StringBuilder(fixed);
    if (!hints.isEmpty()) {
      prompt.append("\n\n# Hints\nThe user gave these instructions and facts about the project:\n");
      for (String hint : hints) prompt.append('\n').append(hint.strip()).append('\n');
    }
    operator.ifPresent(text -> prompt.append("\n\n").append(text.strip()));
    return prompt.toString();
  }

  private static Optional<String> readOperatorFile(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_OPERATOR_BYTES);
      String text = new String(bytes, StandardCharsets.UTF_8);
      return text.isBlank() ? Optional.empty() : Optional.of(text);
    } catch (IOException e) {
      log.warn("{}: cannot read {}: {} (left out of the prompt)", FILE_KEY, file, e.toString());
      return Optional.empty();
    }
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
  private static Optional<String> read(Path file, boolean followLinks) {
    OpenOption[] options =
        followLinks
            ? new OpenOption[] {StandardOpenOption.READ}
            : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
    // Most hint files do not exist. Checked without options first: that check answers "absent"
    // without an exception, where the no-follow one below builds a NoSuchFileException (with its
    // stack) for every absent file on every turn. A file that is regular without following links
    // is regular when they are followed, so nothing the check below accepts is skipped here.
    if (!Files.isRegularFile(file)) return Optional.empty();
    try {
      boolean regular =
          followLinks
              ? Files.isRegularFile(file)
              : Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
      if (!regular) return Optional.empty();
      byte[] bytes;
      try (var in = Files.newInputStream(file, options)) {
        bytes = in.readNBytes(MAX_HINT_BYTES);
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      return text.isBlank() ? Optional.empty() : Optional.of(text);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

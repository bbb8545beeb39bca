package goose.server.logging;

import ch.qos.logback.classic.Level;
import goose.config.Typos;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A level filter in goose's ({@code RUST_LOG}) syntax: comma-separated directives, each a level
 * ({@code info}: the root level), {@code target=level}, or a bare target (all of its output). Rust
 * module paths map onto Java packages: {@code goose} is our {@code goose.*}, {@code goose_server}
 * is {@code goose.server}, {@code a::b} is {@code a.b}. Example: {@code info,goose=debug}.
 */
public record LogFilter(Level root, Map<String, Level> loggers) {

  public static final LogFilter DEFAULT = new LogFilter(Level.INFO, Map.of());

  public LogFilter {
    loggers = Map.copyOf(loggers);
  }

  /** Parses a filter; throws {@link IllegalArgumentException} naming the bad directive. */
  public static LogFilter parse(String spec) {
    Level root = Level.INFO;
    Map<String, Level> loggers = new LinkedHashMap<>();
    for (String raw : spec.split(",", -1)) {
      String directive = raw.trim();
      if (directive.isEmpty()) continue;
      if (directive.contains("/"))
        throw new IllegalArgumentException(
            "regex filters (\"/...\") are not supported: " + directive);
      int eq = directive.indexOf('=');
      if (eq < 0) {
        Optional<Level> level = level(directive);
        if (level.isPresent()) root = level.get();
        else loggers.put(target(checkedBareTarget(directive)), Level.TRACE);
        continue;
      }
      String target = directive.substring(0, eq).trim();
      String levelText = directive.substring(eq + 1).trim();
      if (target.isEmpty())
        throw new IllegalArgumentException("missing target before '=' in \"" + directive + "\"");
      Level level =
          level(levelText)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown level \""
                              + levelText
                              + "\" in \""
                              + directive
                              + "\" (use trace, debug, info, warn, error or off)"));
      loggers.put(target(target), level);
    }
    return new LogFilter(root, loggers);
  }

  private static final java.util.List<String> LEVELS =
      java.util.List.of("trace", "debug", "info", "warn", "error", "off");

  /**
   * A bare word is a target (all of its output), but one a typo away from a level ({@code debugg})
   * is far more likely a mistyped level, which would otherwise leave the logs as they were without
   * a word: refused, naming the level meant. {@code debugg=trace} still names such a target.
   */
  private static String checkedBareTarget(String word) {
    if (word.length() < 3) return word;
    Typos.meant(word, LEVELS)
        .ifPresent(
            level -> {
              throw new IllegalArgumentException(
                  "unknown level \""
                      + word
                      + "\" (did you mean "
                      + level
                      + "? To keep all output of a module of that name, write "
                      + word
                      + "=trace)");
            });
    return word;
  }

  static String target(String rust) {
    String name = rust.replace("::", ".");
    if (name.startsWith("goose_")) name = "goose." + name.substring("goose_".length());
    if (!name.matches("[A-Za-z0-9_.$-]+"))
      throw new IllegalArgumentException("not a module or logger name: \"" + rust + "\"");
    return name;
  }

  private static Optional<Level> level(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "trace" -> Optional.of(Level.TRACE);
      case "debug" -> Optional.of(Level.DEBUG);
      case "info" -> Optional.of(Level.INFO);
      case "warn", "warning" -> Optional.of(Level.WARN);
      case "error" -> Optional.of(Level.ERROR);
      case "off" -> Optional.of(Level.OFF);
      default -> Optional.empty();
    };
  }
}

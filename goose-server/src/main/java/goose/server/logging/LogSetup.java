package goose.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.FilterReply;
import goose.config.Config;
import goose.config.ConfigException;
import goose.config.ConfigKey;
import goose.config.PrivateFiles;
import goose.error.ErrorMessages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import net.logstash.logback.encoder.LogstashEncoder;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Configures logback in code at server start (no XML to ship or lose): a level filter from {@code
 * GOOSE_LOG} or {@code RUST_LOG} ({@link LogFilter}), text or JSON lines ({@code
 * GOOSE_LOG_FORMAT=json}) on stderr, and the same lines in a new file per start under {@code <state
 * dir>/logs/}. Libraries that are chatty at INFO (MCP SDK, Jetty, Javalin, Hikari, the providers'
 * HTTP client) are set to WARN unless the filter names them. The HTTP client's header and wire
 * loggers are off whatever the filter says: at DEBUG they print each request's headers and body,
 * API keys included.
 */
public final class LogSetup {
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level %logger{36}%replace( [%X{request_id}]){' \\[\\]', ''} - %msg%n";
  private static final int KEEP_FILES = 30;
  private static final Map<String, Level> QUIET =
      Map.of(
          "io.modelcontextprotocol", Level.WARN,
          "org.eclipse.jetty", Level.WARN,
          "io.javalin", Level.WARN,
          "com.zaxxer.hikari", Level.WARN,
          "org.flywaydb", Level.WARN,
          "org.apache.hc", Level.WARN);
  private static final List<String> NEVER =
      List.of("org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire");

  private LogSetup() {}

  /**
   * Applies the configuration; returns the log file of this start. Bad settings throw {@link
   * ConfigException}.
   */
  public static Path configure(Config config) {
    LogFilter filter = filter(config);
    boolean json = format(config);
    Path file = newLogFile(config.paths().logsDir());
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();

    ConsoleAppender<ILoggingEvent> console = stderr(context, "console", encoder(context, json));

    FileAppender<ILoggingEvent> fileAppender = new FileAppender<>();
    fileAppender.setContext(context);
    fileAppender.setName("file");
    fileAppender.setFile(file.toString());
    fileAppender.setAppend(true);
    fileAppender.setEncoder(encoder(context, json));
    fileAppender.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(filter.root());
    root.addAppender(console);
    root.addAppender(fileAppender);
    QUIET.forEach(
        (name, level) -> {
          if (filter.loggers().keySet().stream().noneMatch(name::startsWith))
            context.getLogger(name).setLevel(level);
        });
    filter.loggers().forEach((name, level) -> context.getLogger(name).setLevel(level));
    NEVER.forEach(name -> context.getLogger(name).setLevel(Level.OFF));
    return file;
  }

  /**
   * Until the returned action runs, drops Javalin's bare "Failed to start Javalin" ERROR line (no
   * cause attached): the failure is thrown on, and the start reports it in one line that names the
   * address ({@code cannot listen on HOST:PORT ...}), so the extra line only made a taken port look
   * like a crash. Around {@code app.start()} only: a turbo filter is asked about every log call, so
   * it is not left in place for the server's life.
   */
  public static Runnable withoutJavalinStartFailure() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    JavalinStartFailure filter = new JavalinStartFailure();
    filter.setContext(context);
    filter.start();
    context.addTurboFilter(filter);
    return () -> context.getTurboFilterList().remove(filter);
  }

  private static final class JavalinStartFailure extends TurboFilter {
    @Override
    public FilterReply decide(
        @Nullable Marker marker,
        Logger logger,
        Level level,
        @Nullable String format,
        Object @Nullable [] params,
        @Nullable Throwable t) {
      return "Failed to start Javalin".equals(format) && logger.getName().startsWith("io.javalin")
          ? FilterReply.DENY
          : FilterReply.NEUTRAL;
    }
  }

  static LogFilter filter(Config config) {
    Optional<String> key =
        config
            .get(ConfigKey.LOG.name())
            .filter(s -> !s.isBlank())
            .map(s -> ConfigKey.LOG.name())
            .or(() -> config.get("RUST_LOG").filter(s -> !s.isBlank()).map(s -> "RUST_LOG"));
    if (key.isEmpty()) return LogFilter.DEFAULT;
    try {
      return LogFilter.parse(config.get(key.get()).orElseThrow());
    } catch (IllegalArgumentException e) {
      throw ConfigException.badValue(config.lookup(key.get()).orElseThrow(), ErrorMessages.of(e));
    }
  }

  private static boolean format(Config config) {
    String value = config.get(ConfigKey.LOG_FORMAT.name(), "text").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "json" -> true;
      case "text", "" -> false;
      default ->
          throw ConfigException.badValue(
              config.lookup(ConfigKey.LOG_FORMAT.name()).orElseThrow(),
              "must be text or json, got \"" + value + "\"");
    };
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
    if (json) {
      LogstashEncoder encoder = new LogstashEncoder();
      encoder.setContext(context);
      encoder.start();
      return encoder;
    }
    return pattern(context, TEXT_PATTERN);
  }

  /** A started encoder writing each event as {@code pattern} lays it out. */
  public static PatternLayoutEncoder pattern(LoggerContext context, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }

  /** A started appender named {@code name} writing to stderr with {@code encoder}. */
  public static ConsoleAppender<ILoggingEvent> stderr(
      LoggerContext context, String name, Encoder<ILoggingEvent> encoder) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(name);
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    return console;
  }

  /**
   * {@code server-20261129T005705Z-<pid>.log} (then {@code -2}, ... within one second); older files
   * beyond the newest 30 are removed.
   */
  private static Path newLogFile(Path dir) {
    try {
      PrivateFiles.directory(dir); // logs name users, sessions and tool calls: 0700
      pruneOldFiles(dir);
    } catch (IOException e) {
      throw new ConfigException(dir + ": cannot create the log directory: " + e.getMessage());
    }
    String stamp =
        ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
    String base = "server-" + stamp + "-" + ProcessHandle.current().pid();
    Path file = dir.resolve(base + ".log");
    for (int n = 2; Files.exists(file); n++)
      file = dir.resolve(base + "-" + n + ".log"); // two starts in one second
    try {
      return PrivateFiles.file(file);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot create the log file: " + e.getMessage());
    }
  }

  private static void pruneOldFiles(Path dir) throws IOException {
    List<Path> old;
    try (Stream<Path> files = Files.list(dir)) {
      old =
          files
              .filter(
                  p ->
                      p.getFileName()
                          .toString()
                          .matches("server-\\d{8}T\\d{6}Z-\\d+(-\\d+)?\\.log"))
              .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
              .skip(KEEP_FILES - 1)
              .toList();
    }
    for (Path p : old) Files.deleteIfExists(p);
  }
}

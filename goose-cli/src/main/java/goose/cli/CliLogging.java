package goose.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import goose.server.logging.LogSetup;

/**
 * Logging of the command line before (or without) the server: warnings and errors only, on stderr,
 * so that stdout carries only what a command prints (a token for {@code goose users add}, JSON for
 * {@code goose openapi}, the MCP protocol for {@code goose mcp}). {@code goose server} replaces
 * this with its own set-up ({@code GOOSE_LOG}, {@link goose.server.logging.LogSetup}).
 *
 * <p>Set up in code, found by logback through {@code META-INF/services}, rather than from a {@code
 * logback.xml}: parsing that file (logback's XML configurator) was a fifth of the server's start-up
 * work on its main thread (docs/benchmarks.md, start-up). A {@code -Dlogback.configurationFile} or
 * a {@code logback-test.xml} on the class path (tests) still wins: then logback goes on to read it.
 */
public final class CliLogging extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || CliLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Warnings and errors to stderr, one line each. */
  static void apply(LoggerContext context) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(LogSetup.stderr(context, "stderr", LogSetup.pattern(context, PATTERN)));
  }
}

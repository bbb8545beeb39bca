package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The command line's logging is set up in code, found by logback as a service. */
class CliLoggingTest {
  @Test
  void logbackFindsTheConfiguratorAsAService() {
    assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
        .contains(CliLogging.class);
  }

  @Test
  void warningsAndErrorsOnlyGoToStderr() {
    LoggerContext context = new LoggerContext();
    try {
      CliLogging.apply(context);

      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      assertThat(root.getLevel()).isEqualTo(Level.WARN);
      assertThat(root.getAppender("stderr"))
          .isInstanceOfSatisfying(
              ConsoleAppender.class,
              console -> {
                assertThat(console.getTarget()).isEqualTo("System.err");
                assertThat(console.isStarted()).isTrue();
              });
      assertThat(context.getLogger("goose.anything").isInfoEnabled()).isFalse();
    } finally {
      context.stop();
    }
  }

  @Test
  void aLogbackTestFileOnTheClassPathIsLeftToLogback() {
    // This module's test class path carries goose-core's logback-test.xml.
    assertThat(new CliLogging().configure(new LoggerContext()))
        .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }
}

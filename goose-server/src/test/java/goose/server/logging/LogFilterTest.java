package goose.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFilterTest {
  @Test
  void gooseSyntaxSetsTheRootAndOurPackages() {
    LogFilter f = LogFilter.parse("info,goose=debug");
    assertThat(f.root()).isEqualTo(Level.INFO);
    assertThat(f.loggers()).isEqualTo(Map.of("goose", Level.DEBUG));
  }

  @Test
  void rustModulePathsMapToJavaPackages() {
    LogFilter f =
        LogFilter.parse(
            "warn, goose_server=trace, io::modelcontextprotocol=ERROR, org.eclipse.jetty=off");
    assertThat(f.root()).isEqualTo(Level.WARN);
    assertThat(f.loggers())
        .containsEntry("goose.server", Level.TRACE)
        .containsEntry("io.modelcontextprotocol", Level.ERROR)
        .containsEntry("org.eclipse.jetty", Level.OFF);
  }

  @Test
  void aBareTargetEnablesAllOfItsOutput() {
    assertThat(LogFilter.parse("goose").loggers()).isEqualTo(Map.of("goose", Level.TRACE));
    assertThat(LogFilter.parse("goose").root()).isEqualTo(Level.INFO);
  }

  @Test
  void badDirectivesAreRejectedNamingThem() {
    assertThatThrownBy(() -> LogFilter.parse("goose=loud"))
        .hasMessageContaining("loud")
        .hasMessageContaining("goose=loud");
    assertThatThrownBy(() -> LogFilter.parse("=debug")).hasMessageContaining("missing target");
    assertThatThrownBy(() -> LogFilter.parse("goose=debug/foo")).hasMessageContaining("regex");
    assertThatThrownBy(() -> LogFilter.parse("bad name=info")).hasMessageContaining("bad name");
  }

  @Test
  void aBareWordATypoAwayFromALevelIsRefusedNamingTheLevel() {
    // It used to be read as a logger named "debugg": the logs stayed at info without a word.
    assertThatThrownBy(() -> LogFilter.parse("debugg"))
        .hasMessageContaining("did you mean debug?")
        .hasMessageContaining("debugg=trace");
    assertThatThrownBy(() -> LogFilter.parse("info,eror"))
        .hasMessageContaining("did you mean error?");
    assertThat(LogFilter.parse("debugg=trace").loggers()).isEqualTo(Map.of("debugg", Level.TRACE));
    assertThat(LogFilter.parse("goose,tower,hyper").loggers()).hasSize(3);
  }
}

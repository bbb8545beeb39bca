package goose.config;

import static org.assertj.core.api.Assertions.assertThat;

import goose.testing.ConfigFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnknownSettingsTest {
  @TempDir Path home;

  @Test
  void aMistypedSettingInConfigYamlIsNamedWithTheOneMeant() throws IOException {
    Path file =
        ConfigFiles.writeConfig(
            home,
            """
            GOOSE_PROVDER: openai
            GOOSE_MODEL: gpt-4o
            goose_prot: 3001
            GOOSE_SOMETHING_ELSE_ENTIRELY: yes
            MY_TOOLS_TOKEN: abc
            """);
    // The environment holds launcher and test variables that are no settings: not checked.
    Config config = Config.load(Map.of("GOOSE_AOT", "off", "GOOSE_PORTT", "1"), home);
    List<String> warnings = UnknownSettings.warnings(config);
    assertThat(warnings)
        .containsExactlyInAnyOrder(
            file
                + ": GOOSE_PROVDER is not a setting goosed knows, and is ignored: did you mean"
                + " GOOSE_PROVIDER?",
            file
                + ": goose_prot is not a setting goosed knows, and is ignored: did you mean"
                + " GOOSE_PORT?");
  }

  @Test
  void typosAreWithinTwoEditsIgnoringCase() {
    assertThat(Typos.meant("debugg", List.of("debug", "info"))).contains("debug");
    assertThat(Typos.meant("GOOSE_prvider", List.of("GOOSE_PROVIDER"))).contains("GOOSE_PROVIDER");
    assertThat(Typos.meant("goose", List.of("trace", "debug", "info", "warn", "error", "off")))
        .isEmpty();
    assertThat(Typos.distance("kitten", "sitting")).isEqualTo(3);
  }
}

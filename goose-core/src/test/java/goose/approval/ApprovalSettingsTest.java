package goose.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.config.Config;
import goose.config.ConfigException;
import goose.testing.ConfigFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalSettingsTest {
  @TempDir Path home;

  @Test
  void aBadModeNamesTheFileOrTheVariableLikeEveryOtherSetting() throws IOException {
    Path file = ConfigFiles.writeConfig(home, "GOOSE_MODE: aproove\n");

    assertThatThrownBy(() -> ApprovalSettings.from(Config.load(Map.of(), home)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            file + ": GOOSE_MODE: must be auto, approve, smart_approve or chat, got \"aproove\"");
    assertThatThrownBy(() -> ApprovalSettings.from(Config.load(Map.of("GOOSE_MODE", "ask"), home)))
        .hasMessage(
            "environment variable GOOSE_MODE: must be auto, approve, smart_approve or chat, got \"ask\"");
  }

  @Test
  void theModeIsReadInAnyCase() {
    assertThat(
            ApprovalSettings.from(Config.load(Map.of("GOOSE_MODE", " Smart_Approve "), home))
                .defaultMode())
        .isEqualTo(ApprovalMode.SMART_APPROVE);
    assertThat(ApprovalSettings.from(Config.load(Map.of(), home)).defaultMode())
        .isEqualTo(ApprovalMode.AUTO);
  }
}

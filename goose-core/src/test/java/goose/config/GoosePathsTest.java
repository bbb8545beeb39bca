package goose.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoosePathsTest {
  private static final Path HOME = Path.of("/home/ada");

  @Test
  void withNothingSetEverythingLivesUnderTheHomeDirectory() {
    GoosePaths paths = GoosePaths.resolve(Map.of(), HOME);

    assertThat(paths.configDir()).isEqualTo(Path.of("/home/ada/.config/goose"));
    assertThat(paths.dataDir()).isEqualTo(Path.of("/home/ada/.local/share/goose"));
    assertThat(paths.stateDir()).isEqualTo(Path.of("/home/ada/.local/state/goose"));
  }

  @Test
  void xdgDirectoriesReplaceTheHomeDefaults() {
    GoosePaths paths =
        GoosePaths.resolve(
            Map.of(
                "XDG_CONFIG_HOME",
                "/xdg/config",
                "XDG_DATA_HOME",
                "/xdg/data",
                "XDG_STATE_HOME",
                "/xdg/state"),
            HOME);

    assertThat(paths.configDir()).isEqualTo(Path.of("/xdg/config/goose"));
    assertThat(paths.dataDir()).isEqualTo(Path.of("/xdg/data/goose"));
    assertThat(paths.stateDir()).isEqualTo(Path.of("/xdg/state/goose"));
  }

  @Test
  void pathRootBeatsXdgForAllThreeDirectories() {
    GoosePaths paths =
        GoosePaths.resolve(
            Map.of(
                "GOOSE_PATH_ROOT",
                "/srv/goose",
                "XDG_CONFIG_HOME",
                "/xdg/config",
                "XDG_DATA_HOME",
                "/xdg/data",
                "XDG_STATE_HOME",
                "/xdg/state"),
            HOME);

    assertThat(paths.configDir()).isEqualTo(Path.of("/srv/goose/config"));
    assertThat(paths.dataDir()).isEqualTo(Path.of("/srv/goose/data"));
    assertThat(paths.stateDir()).isEqualTo(Path.of("/srv/goose/state"));
  }

  @Test
  void configDirBeatsPathRootForTheConfigDirectoryOnly() {
    GoosePaths paths =
        GoosePaths.resolve(
            Map.of("GOOSE_CONFIG_DIR", "/etc/goose", "GOOSE_PATH_ROOT", "/srv/goose"), HOME);

    assertThat(paths.configDir()).isEqualTo(Path.of("/etc/goose"));
    assertThat(paths.dataDir()).isEqualTo(Path.of("/srv/goose/data"));
    assertThat(paths.stateDir()).isEqualTo(Path.of("/srv/goose/state"));
  }

  @Test
  void blankVariablesAreTreatedAsUnset() {
    GoosePaths paths =
        GoosePaths.resolve(
            Map.of("GOOSE_CONFIG_DIR", " ", "GOOSE_PATH_ROOT", "", "XDG_DATA_HOME", ""), HOME);

    assertThat(paths).isEqualTo(GoosePaths.resolve(Map.of(), HOME));
  }

  @Test
  void filesAndSubdirectoriesHangOffTheirDirectories() {
    GoosePaths paths = GoosePaths.resolve(Map.of("GOOSE_PATH_ROOT", "/srv/goose"), HOME);

    assertThat(paths.configFile()).isEqualTo(Path.of("/srv/goose/config/config.yaml"));
    assertThat(paths.secretsFile()).isEqualTo(Path.of("/srv/goose/config/secrets.yaml"));
    assertThat(paths.sessionsDir()).isEqualTo(Path.of("/srv/goose/data/sessions"));
    assertThat(paths.logsDir()).isEqualTo(Path.of("/srv/goose/state/logs"));
  }

  @Test
  void relativeSettingsBecomeAbsolute() {
    GoosePaths paths = GoosePaths.resolve(Map.of("GOOSE_PATH_ROOT", "relative/root"), HOME);

    assertThat(paths.configDir()).isEqualTo(Path.of("relative/root/config").toAbsolutePath());
    assertThat(paths.dataDir()).isAbsolute();
    assertThat(paths.stateDir()).isAbsolute();
  }
}

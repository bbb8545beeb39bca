package goose.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where goose keeps its files, resolved as goose does:
 *
 * <ul>
 *   <li>config: {@code GOOSE_CONFIG_DIR}, else {@code $GOOSE_PATH_ROOT/config}, else {@code
 *       $XDG_CONFIG_HOME/goose}, else {@code ~/.config/goose}
 *   <li>data: {@code $GOOSE_PATH_ROOT/data}, else {@code $XDG_DATA_HOME/goose}, else {@code
 *       ~/.local/share/goose}
 *   <li>state (logs): {@code $GOOSE_PATH_ROOT/state}, else {@code $XDG_STATE_HOME/goose}, else
 *       {@code ~/.local/state/goose}
 * </ul>
 */
public record GoosePaths(Path configDir, Path dataDir, Path stateDir) {

  public static GoosePaths resolve(Map<String, String> env, Path home) {
    Path root = nonBlank(env.get("GOOSE_PATH_ROOT")) ? Path.of(env.get("GOOSE_PATH_ROOT")) : null;
    Path config =
        nonBlank(env.get("GOOSE_CONFIG_DIR"))
            ? Path.of(env.get("GOOSE_CONFIG_DIR"))
            : pick(root, "config", env.get("XDG_CONFIG_HOME"), home.resolve(".config"));
    Path data = pick(root, "data", env.get("XDG_DATA_HOME"), home.resolve(".local/share"));
    Path state = pick(root, "state", env.get("XDG_STATE_HOME"), home.resolve(".local/state"));
    return new GoosePaths(config.toAbsolutePath(), data.toAbsolutePath(), state.toAbsolutePath());
  }

  public static GoosePaths fromEnvironment() {
    return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  public Path configFile() {
    return configDir.resolve("config.yaml");
  }

  public Path secretsFile() {
    return configDir.resolve("secrets.yaml");
  }

  public Path sessionsDir() {
    return dataDir.resolve("sessions");
  }

  public Path logsDir() {
    return stateDir.resolve("logs");
  }

  private static Path pick(Path root, String sub, String xdg, Path fallbackBase) {
    if (root != null) return root.resolve(sub);
    if (nonBlank(xdg)) return Path.of(xdg).resolve("goose");
    return fallbackBase.resolve("goose");
  }

  private static boolean nonBlank(String s) {
    return s != null && !s.isBlank();
  }
}

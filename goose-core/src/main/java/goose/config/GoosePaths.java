package goose.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

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
    Optional<Path> root = path(env, "GOOSE_PATH_ROOT");
    Path config =
        path(env, "GOOSE_CONFIG_DIR")
            .orElseGet(
                () -> pick(root, "config", path(env, "XDG_CONFIG_HOME"), home.resolve(".config")));
    Path data = pick(root, "data", path(env, "XDG_DATA_HOME"), home.resolve(".local/share"));
    Path state = pick(root, "state", path(env, "XDG_STATE_HOME"), home.resolve(".local/state"));
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

  private static Path pick(Optional<Path> root, String sub, Optional<Path> xdg, Path fallbackBase) {
    return root.map(r -> r.resolve(sub)).orElseGet(() -> xdg.orElse(fallbackBase).resolve("goose"));
  }

  /** The variable as a path; unset and blank are the same. */
  private static Optional<Path> path(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(s -> !s.isBlank()).map(Path::of);
  }
}

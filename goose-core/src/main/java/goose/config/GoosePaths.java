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
    Optional<Path> root = path(env, "GOOSE_PATH_ROOT", home);
    Path config =
        path(env, "GOOSE_CONFIG_DIR", home)
            .orElseGet(
                () ->
                    pick(
                        root,
                        "config",
                        path(env, "XDG_CONFIG_HOME", home),
                        home.resolve(".config")));
    Path data = pick(root, "data", path(env, "XDG_DATA_HOME", home), home.resolve(".local/share"));
    Path state =
        pick(root, "state", path(env, "XDG_STATE_HOME", home), home.resolve(".local/state"));
    return new GoosePaths(config.toAbsolutePath(), data.toAbsolutePath(), state.toAbsolutePath());
  }

  public static GoosePaths fromEnvironment() {
    return resolve(System.getenv(), home(System.getenv()));
  }

  /**
   * The home directory {@code ~} stands for: {@code $HOME}, as in goose and every shell, and only
   * when it is unset Java's {@code user.home} (the password file's entry, which differs from $HOME
   * in containers and under sudo).
   */
  public static Path home(Map<String, String> env) {
    return Optional.ofNullable(env.get("HOME"))
        .filter(home -> !home.isBlank())
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home")));
  }

  /**
   * A path setting with a leading {@code ~} or {@code ~/} read as the home directory (Compose files
   * and systemd units pass it through unexpanded).
   */
  public static Path expand(String raw, Path home) {
    String path = raw;
    if (path.equals("~")) return home;
    if (path.startsWith("~/")) return home.resolve(path.substring(2));
    return Path.of(path);
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

  /** The variable as a path, {@code ~} expanded; unset and blank are the same. */
  private static Optional<Path> path(Map<String, String> env, String name, Path home) {
    return Optional.ofNullable(env.get(name))
        .filter(s -> !s.isBlank())
        .map(value -> expand(value, home));
  }
}

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
    Path root =
        nonBlank(env.get("GOOSE_PATH_ROOT")) ? expand(env.get("GOOSE_PATH_ROOT"), home) : null;
    Path config =
        nonBlank(env.get("GOOSE_CONFIG_DIR"))
            ? expand(env.get("GOOSE_CONFIG_DIR"), home)
            : pick(root, "config", env.get("XDG_CONFIG_HOME"), home.resolve(".config"), home);
    Path data = pick(root, "data", env.get("XDG_DATA_HOME"), home.resolve(".local/share"), home);
    Path state = pick(root, "state", env.get("XDG_STATE_HOME"), home.resolve(".local/state"), home);
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
    String home = env.get("HOME");
    return nonBlank(home) ? Path.of(home) : Path.of(System.getProperty("user.home"));
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

  private static Path pick(Path root, String sub, String xdg, Path fallbackBase, Path home) {
    if (root != null) return root.resolve(sub);
    if (nonBlank(xdg)) return expand(xdg, home).resolve("goose");
    return fallbackBase.resolve("goose");
  }

  private static boolean nonBlank(String s) {
    return s != null && !s.isBlank();
  }
}

package goose.sandbox;

import goose.config.Config;
import goose.config.ConfigException;
import goose.config.ConfigKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sandbox settings, read once at start (docs/sandbox.md).
 *
 * @param enabled whether tools run in the bubblewrap sandbox ({@code GOOSE_SANDBOX}: {@code auto}
 *     means on in the multi-user auth modes)
 * @param why how {@code enabled} was decided, for the start-up line and errors
 * @param bwrap {@code GOOSE_BWRAP}, else {@code bwrap} is looked up on {@code hostPath}
 * @param network whether the sandbox keeps the network ({@code GOOSE_SANDBOX_NETWORK})
 * @param readOnly extra host paths shown read-only ({@code GOOSE_SANDBOX_READ_ONLY})
 * @param hidden paths never shown even where they lie inside a shown one: the server's config, data
 *     and state directories and {@code GOOSE_SANDBOX_HIDE}
 * @param serverDirectories the server's config, data and state directories: created at the start
 *     when missing, and while the server runs a workspace that should contain one and does not is
 *     refused (it was moved away)
 * @param hostPath the server's {@code PATH}
 * @param extensionIdle how long a per-workspace stdio extension may sit unused before it stops
 * @param extensionsPerUser how many per-workspace stdio extension processes one user may have
 */
public record SandboxSettings(
    boolean enabled,
    String why,
    Optional<Path> bwrap,
    boolean network,
    List<Path> readOnly,
    List<Path> hidden,
    List<Path> serverDirectories,
    ToolLimits limits,
    String hostPath,
    Duration extensionIdle,
    int extensionsPerUser) {

  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public SandboxSettings {
    readOnly = List.copyOf(readOnly);
    hidden = List.copyOf(hidden);
    serverDirectories = List.copyOf(serverDirectories);
  }

  /**
   * The settings from {@code GOOSE_SANDBOX} and the sandbox's other keys, for this auth mode.
   *
   * @param authMode the auth mode's name, for messages
   * @param multiUser whether the auth mode serves several users (tokens, proxy): {@code auto} then
   *     means on
   */
  public static SandboxSettings from(Config config, String authMode, boolean multiUser) {
    String mode = config.getChoice(ConfigKey.SANDBOX.name(), "auto", List.of("auto", "on", "off"));
    boolean enabled = mode.equals("on") || (mode.equals("auto") && multiUser);
    String why = "GOOSE_SANDBOX=" + mode + (mode.equals("auto") ? " in " + authMode + " mode" : "");
    List<Path> own =
        List.of(config.paths().configDir(), config.paths().dataDir(), config.paths().stateDir());
    List<Path> hidden = new ArrayList<>(own);
    hidden.addAll(paths(config, ConfigKey.SANDBOX_HIDE));
    long mib = ToolLimits.MIB;
    ToolLimits limits =
        new ToolLimits(
            config.getInt(ConfigKey.SANDBOX_MAX_PROCESSES.name(), 1024, 16, 1_000_000),
            config.getLong(ConfigKey.SANDBOX_MAX_MEMORY_MB.name(), 4096, 16, 1L << 24) * mib,
            config.getLong(ConfigKey.SANDBOX_MAX_TMP_MB.name(), 1024, 1, 1L << 24) * mib,
            config.getInt(ConfigKey.SANDBOX_MAX_OUTPUT_BYTES.name(), 65_536, 1024, 1 << 30));
    return new SandboxSettings(
        enabled,
        why,
        config.get(ConfigKey.BWRAP.name()).filter(v -> !v.isBlank()).map(v -> Path.of(v.strip())),
        config.getBoolean(ConfigKey.SANDBOX_NETWORK.name(), true),
        paths(config, ConfigKey.SANDBOX_READ_ONLY),
        hidden,
        own,
        limits,
        config
            .get("PATH")
            .or(() -> Optional.ofNullable(System.getenv("PATH")))
            .filter(p -> !p.isBlank())
            .orElse(DEFAULT_PATH),
        config.getSeconds(ConfigKey.SANDBOX_EXTENSION_IDLE.name(), Duration.ofMinutes(10)),
        config.getInt(ConfigKey.SANDBOX_EXTENSIONS_PER_USER.name(), 16, 1, 10_000));
  }

  /** Off, with the default limits: tools run as the server's OS user. */
  public static SandboxSettings off(Config config) {
    SandboxSettings s = from(config, "single-user", false);
    return new SandboxSettings(
        false,
        "GOOSE_SANDBOX=off",
        s.bwrap(),
        s.network(),
        s.readOnly(),
        s.hidden(),
        s.serverDirectories(),
        s.limits(),
        s.hostPath(),
        s.extensionIdle(),
        s.extensionsPerUser());
  }

  private static List<Path> paths(Config config, ConfigKey key) {
    List<Path> out = new ArrayList<>();
    for (String part : config.get(key.name(), "").split(",", -1)) {
      String p = part.strip();
      if (p.isEmpty()) continue;
      Path path = Path.of(p);
      if (!path.isAbsolute())
        throw new ConfigException(key.name() + ": \"" + p + "\" is not an absolute path");
      out.add(path.normalize());
    }
    return out;
  }
}

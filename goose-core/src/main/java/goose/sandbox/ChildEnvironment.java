package goose.sandbox;

import goose.config.Config;
import goose.config.ConfigKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a tool process starts with, before the variables the tool itself adds (an
 * extension's {@code envs} and {@code env_keys}).
 *
 * <ul>
 *   <li>In the sandbox: a clean one, built from nothing: {@code PATH} (the system's directories,
 *       plus those of the server's {@code PATH} that the sandbox shows), {@code HOME}, {@code
 *       LANG}, {@code TERM}, {@code TMPDIR} (and {@code PWD}, which bwrap sets). {@code HOME} is
 *       the workspace for the session's own tools ({@link ToolLaunch.Kind#SESSION}); an extension's
 *       server ({@link ToolLaunch.Kind#EXTENSION}) gets a private, empty one and the variables of
 *       {@link #noImplicitCode}. None of the server's own variables (its keys, its database URL,
 *       its settings) is ever there.
 *   <li>Without the sandbox (single-user modes): the server's own environment less every variable
 *       that is or looks like a secret, as goose does.
 * </ul>
 */
public final class ChildEnvironment {
  private ChildEnvironment() {}

  /** The server's environment less its secrets (the unsandboxed modes). */
  public static Map<String, String> withoutSecrets(Map<String, String> parent, Config config) {
    Map<String, String> env = new HashMap<>();
    parent.forEach(
        (k, v) -> {
          if (!ConfigKey.looksSecret(k) && !config.isSecret(k)) env.put(k, v);
        });
    return env;
  }

  /**
   * The clean environment of a sandboxed process.
   *
   * @param home its {@code HOME}: the workspace, or an extension's private directory
   * @param hostPath the server's PATH: its entries inside {@code shown} read-only paths are kept
   * @param lang the server's LANG, when it has one
   */
  static Map<String, String> clean(
      Path home, String hostPath, List<Path> shown, java.util.Optional<String> lang) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", sandboxPath(hostPath, shown));
    env.put("HOME", home.toString());
    env.put("LANG", lang.filter(l -> l.matches("[A-Za-z0-9_.@-]{1,64}")).orElse("C.UTF-8"));
    env.put("TERM", "dumb");
    env.put("TMPDIR", "/tmp");
    return env;
  }

  /**
   * What a sandboxed extension's server gets on top of {@link #clean}, so that well-known
   * interpreters do not load code from the user's workspace by themselves: Python skips the user
   * site-packages ({@code PYTHONNOUSERSITE}: {@code usercustomize.py}, {@code *.pth}) and puts
   * neither the working directory ({@code -m}, {@code -c}) nor the script's directory first on
   * {@code sys.path} ({@code PYTHONSAFEPATH}, Python 3.11+); npm and npx read no user {@code
   * .npmrc} and keep their cache (where {@code npx} runs packages from) in the private {@code
   * home}, which a workspace {@code .npmrc} cannot move, since the environment outranks it. The
   * variables the extension sets itself come after these: an allowlist entry that names one may
   * change it.
   */
  static void noImplicitCode(Map<String, String> env, Path home) {
    env.put("PYTHONNOUSERSITE", "1");
    env.put("PYTHONSAFEPATH", "1");
    env.put("NPM_CONFIG_USERCONFIG", "/dev/null");
    env.put("NPM_CONFIG_CACHE", home.resolve(".npm").toString());
  }

  private static String sandboxPath(String hostPath, List<Path> shown) {
    List<String> dirs = new ArrayList<>(List.of(SandboxSettings.DEFAULT_PATH.split(":")));
    for (String dir : hostPath.split(":", -1)) {
      if (dir.isEmpty() || dirs.contains(dir)) continue;
      Path p = Path.of(dir);
      if (p.isAbsolute() && shown.stream().anyMatch(s -> p.normalize().startsWith(s)))
        dirs.add(dir);
    }
    return String.join(":", dirs);
  }
}

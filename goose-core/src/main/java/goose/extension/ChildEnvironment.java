package goose.extension;

import goose.config.Config;
import goose.config.ConfigKey;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment the server hands to programs it starts (stdio MCP servers, shell commands): its
 * own, less every variable that is or looks like a secret, so provider keys never leak into tools.
 * A server that needs a secret names it in {@code env_keys}.
 */
public final class ChildEnvironment {
  private ChildEnvironment() {}

  public static Map<String, String> withoutSecrets(Map<String, String> parent, Config config) {
    Map<String, String> env = new HashMap<>();
    parent.forEach(
        (k, v) -> {
          if (!ConfigKey.looksSecret(k) && !config.isSecret(k)) env.put(k, v);
        });
    return env;
  }
}

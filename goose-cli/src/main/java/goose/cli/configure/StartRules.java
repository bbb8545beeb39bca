package goose.cli.configure;

import goose.approval.ApprovalSettings;
import goose.config.Config;
import goose.config.ConfigSource;
import goose.config.ConfigValue;
import goose.provider.configured.Providers;
import goose.server.auth.AuthSettings;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The rules of settings whose check lives with the code that reads them, so {@code goose configure
 * set} refuses what the next start would refuse: {@code GOOSE_MODE} (approvals), {@code GOOSE_AUTH}
 * (the server's auth settings, which goose-core cannot see) and an unknown {@code GOOSE_PROVIDER}.
 * The type rules of goose-core ({@code GOOSE_PORT}, {@code GOOSE_SANDBOX}, ...) are applied by
 * {@link Config#set} itself.
 */
final class StartRules {
  private static final Map<String, BiConsumer<Config, ConfigValue>> RULES =
      Map.of(
          "GOOSE_MODE", (config, value) -> ApprovalSettings.parseMode(value),
          "GOOSE_AUTH", (config, value) -> AuthSettings.parseMode(value),
          "GOOSE_PROVIDER", Providers::checkName);

  private StartRules() {}

  /** Throws {@link goose.config.ConfigException} when {@code value} breaks {@code key}'s rule. */
  static void check(Config config, String key, String value) {
    BiConsumer<Config, ConfigValue> rule = RULES.get(key.toUpperCase(Locale.ROOT));
    if (rule != null && !value.isBlank())
      rule.accept(config, new ConfigValue(key, value, ConfigSource.FILE, "", false));
  }
}

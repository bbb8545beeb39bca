package goose.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The type rules of the known settings. {@link Config#validate()} applies them at start-up so a bad
 * value stops the server before anything binds, and {@link Config#set} applies them before writing
 * so {@code goose configure set GOOSE_PORT abc} never leaves a broken file behind.
 */
final class SettingRules {
  private static final Map<String, Consumer<ConfigValue>> RULES =
      Map.ofEntries(
          Map.entry("GOOSE_HOST", SettingValues::parseHost),
          Map.entry("GOOSE_PORT", v -> SettingValues.parseInt(v, 0, 65_535)),
          Map.entry("API_TIMEOUT", SettingValues::parseSeconds),
          Map.entry("MAX_RETRIES", v -> SettingValues.parseInt(v, 0, 100)),
          Map.entry("GOOSE_MAX_BODY_BYTES", v -> SettingValues.parseLong(v, 1, 1L << 31)),
          Map.entry("GOOSE_LOG_FORMAT", v -> SettingValues.parseChoice(v, List.of("text", "json"))),
          Map.entry(
              "GOOSE_SANDBOX", v -> SettingValues.parseChoice(v, List.of("auto", "on", "off"))),
          Map.entry("GOOSE_SANDBOX_NETWORK", SettingValues::parseBoolean),
          Map.entry(
              "GOOSE_MAX_OUTPUT_TOKENS", v -> SettingValues.parseInt(v, 1, Integer.MAX_VALUE)),
          Map.entry("GOOSE_PROMPT_CACHING", SettingValues::parseBoolean),
          Map.entry("GOOSE_SESSION_TITLES", SettingValues::parseBoolean));

  private SettingRules() {}

  /** Names (upper case) of the settings that have a rule. */
  static Iterable<String> checkedKeys() {
    return RULES.keySet();
  }

  /**
   * Throws {@link ConfigException} when {@code value} breaks its key's rule; keys without a rule
   * pass.
   */
  static void check(ConfigValue value) {
    Consumer<ConfigValue> rule = RULES.get(value.key().toUpperCase(Locale.ROOT));
    if (rule != null) rule.accept(value);
  }
}

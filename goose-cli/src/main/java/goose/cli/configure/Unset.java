package goose.cli.configure;

import goose.config.Config;
import goose.config.ConfigKey;
import goose.config.ConfigSource;
import goose.config.ConfigValue;
import goose.server.auth.AuthSettings;
import java.util.Optional;

/**
 * What {@code goose configure} shows for a setting nobody set: a default that other settings decide
 * ({@code GOOSE_AUTH}: secret when {@code GOOSE_SERVER__SECRET_KEY} is set, else none), or
 * "(unset)" for a known key without a default, so every documented key is listed.
 */
final class Unset {
  /** The value shown for a known key that has none. */
  static final String UNSET = "(unset)";

  private Unset() {}

  /** The effective value of {@code key}, counting a default that other settings decide. */
  static Optional<ConfigValue> lookup(Config config, String key) {
    Optional<ConfigValue> value = config.lookup(key);
    if (value.isPresent() || !key.equalsIgnoreCase(ConfigKey.AUTH.name())) return value;
    boolean secretSet = config.secret(ConfigKey.SECRET_KEY.name()).isPresent();
    return Optional.of(
        new ConfigValue(
            ConfigKey.AUTH.name(),
            AuthSettings.modeOf(config).wire(),
            ConfigSource.DEFAULT,
            "default, as GOOSE_SERVER__SECRET_KEY is " + (secretSet ? "set" : "not set"),
            false));
  }
}

package goose.approval;

import goose.config.Config;
import goose.config.ConfigException;
import goose.config.ConfigKey;
import goose.config.ConfigValue;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code GOOSE_MODE} (default {@code auto}) and {@code GOOSE_APPROVAL_TIMEOUT}, the seconds a tool
 * call waits for its approval before it counts as denied (default 600: long enough to read a diff,
 * short enough that a forgotten question does not hold a turn open all day).
 */
public record ApprovalSettings(ApprovalMode defaultMode, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  public static final ApprovalSettings DEFAULTS =
      new ApprovalSettings(ApprovalMode.AUTO, DEFAULT_TIMEOUT);

  public ApprovalSettings {
    if (timeout.isNegative() || timeout.isZero())
      throw new IllegalArgumentException("approval timeout must be positive");
  }

  public static ApprovalSettings from(Config config) {
    ApprovalMode mode =
        config
            .lookup(ConfigKey.MODE.name())
            .filter(v -> !v.value().isBlank())
            .map(ApprovalSettings::parseMode)
            .orElse(ApprovalMode.AUTO);
    return new ApprovalSettings(mode, config.getSeconds("GOOSE_APPROVAL_TIMEOUT", DEFAULT_TIMEOUT));
  }

  /**
   * The mode {@code GOOSE_MODE} names (any case); a {@link ConfigException} naming the file or
   * variable otherwise. The start and {@code goose configure set} both check with it.
   */
  public static ApprovalMode parseMode(ConfigValue value) {
    String word = value.value().strip();
    return ApprovalMode.parse(word.toLowerCase(Locale.ROOT))
        .orElseThrow(
            () ->
                ConfigException.badValue(
                    value, "must be " + ApprovalMode.choices() + ", got \"" + word + "\""));
  }
}

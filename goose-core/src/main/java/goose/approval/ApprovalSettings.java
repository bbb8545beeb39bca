package goose.approval;

import goose.config.Config;
import goose.config.ConfigException;
import java.time.Duration;

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
            .get("GOOSE_MODE")
            .map(String::strip)
            .filter(m -> !m.isEmpty())
            .map(
                m ->
                    ApprovalMode.parse(m.toLowerCase(java.util.Locale.ROOT))
                        .orElseThrow(
                            () ->
                                new ConfigException(
                                    "GOOSE_MODE: '"
                                        + m
                                        + "' is not a mode; use "
                                        + ApprovalMode.choices())))
            .orElse(ApprovalMode.AUTO);
    return new ApprovalSettings(mode, config.getSeconds("GOOSE_APPROVAL_TIMEOUT", DEFAULT_TIMEOUT));
  }
}

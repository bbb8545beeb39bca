package goose.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Parses setting values. Every failure is a {@link ConfigException} that names where the value came
 * from, the key and the problem, so a person can fix it from the one line the CLI prints.
 */
final class SettingValues {
  private SettingValues() {}

  static int parseInt(ConfigValue value, int min, int max) {
    return (int) parseLong(value, min, max);
  }

  static long parseLong(ConfigValue value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.value().trim());
    } catch (NumberFormatException e) {
      throw ConfigException.badValue(
          value, "must be a whole number, got \"" + value.value() + "\"");
    }
    if (parsed < min || parsed > max) {
      throw ConfigException.badValue(
          value, "must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }

  static double parseDouble(ConfigValue value, double min, double max) {
    double parsed;
    try {
      parsed = Double.parseDouble(value.value().trim());
    } catch (NumberFormatException e) {
      throw ConfigException.badValue(value, "must be a number, got \"" + value.value() + "\"");
    }
    if (!(parsed >= min && parsed <= max)) {
      throw ConfigException.badValue(
          value, "must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }

  /** A duration given in (possibly fractional) seconds, at least a millisecond, at most a year. */
  static Duration parseSeconds(ConfigValue value) {
    double seconds = parseDouble(value, 0.001, 86_400 * 365);
    return Duration.ofNanos((long) (seconds * 1_000_000_000L));
  }

  /** Booleans as goose reads them (YAML style): true/false, yes/no, on/off, 1/0. */
  static boolean parseBoolean(ConfigValue value) {
    return switch (value.value().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0", "" -> false;
      default ->
          throw ConfigException.badValue(
              value, "must be true or false, got \"" + value.value() + "\"");
    };
  }

  /**
   * An address to bind to: an IP literal or a name this machine resolves. Checked here because a
   * bind to an unresolvable address otherwise surfaces as a misleading "port already in use".
   */
  static InetAddress parseHost(ConfigValue value) {
    String host = value.value().trim();
    if (host.isEmpty()) throw ConfigException.badValue(value, "must not be empty");
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw ConfigException.badValue(
          value, "\"" + host + "\" is not an IP address or a host name this machine can resolve");
    }
  }

  /**
   * One of a fixed set of words, compared case-insensitively; returns the word in lower case. When
   * the choices include {@code on} and {@code off}, the boolean words count as those (true and yes
   * are on, false and no are off), as YAML 1.1 reads an unquoted {@code off} as false.
   */
  static String parseChoice(ConfigValue value, List<String> choices) {
    String word = value.value().trim().toLowerCase(Locale.ROOT);
    if (choices.contains("on") && choices.contains("off")) {
      word =
          switch (word) {
            case "true", "yes" -> "on";
            case "false", "no" -> "off";
            default -> word;
          };
    }
    if (!choices.contains(word)) {
      throw ConfigException.badValue(
          value,
          "must be one of " + String.join(", ", choices) + ", got \"" + value.value() + "\"");
    }
    return word;
  }
}

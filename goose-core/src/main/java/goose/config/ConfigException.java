package goose.config;

/**
 * A configuration problem a person must fix. Its message is one line naming where (file or
 * variable), which key and what is wrong; the CLI prints it without a stack trace and exits
 * non-zero.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The one-line error for a setting whose value is wrong, naming where it came from: "config.yaml
   * path: GOOSE_PORT: must be ...", "environment variable GOOSE_PORT: must be ..." (the variable
   * already names the key), or "GOOSE_PORT: must be ..." for a value not read from anywhere yet.
   * Use it for every bad value so all such messages read alike.
   */
  public static ConfigException badValue(ConfigValue value, String problem) {
    if (value.origin().isBlank()) return new ConfigException(value.key() + ": " + problem);
    if (value.source() == ConfigSource.ENV)
      return new ConfigException(value.origin() + ": " + problem);
    return new ConfigException(value.origin() + ": " + value.key() + ": " + problem);
  }
}

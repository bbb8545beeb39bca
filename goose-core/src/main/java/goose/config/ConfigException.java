package goose.config;

/**
 * A configuration problem a person must fix. Its message is one line naming where (file or variable),
 * which key and what is wrong; the CLI prints it without a stack trace and exits non-zero.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  static ConfigException badValue(ConfigValue value, String problem) {
    return new ConfigException(value.origin() + ": " + value.key() + ": " + problem);
  }
}

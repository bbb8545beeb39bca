package goose.config;

/**
 * One effective setting and its provenance. {@code origin} names the variable or file it was read
 * from, for error messages ("/home/u/.config/goose/config.yaml", "environment variable GOOSE_PORT").
 */
public record ConfigValue(String key, String value, ConfigSource source, String origin, boolean secret) {

  /** The value as it may be shown to a person: secrets masked. */
  public String display() {
    return secret ? mask(value) : value;
  }

  public static String mask(String secret) {
    if (secret.length() <= 8) return "********";
    return secret.substring(0, 3) + "…" + secret.substring(secret.length() - 2);
  }
}

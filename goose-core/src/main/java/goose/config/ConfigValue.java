package goose.config;

import java.util.regex.Pattern;

/**
 * One effective setting and its provenance. {@code origin} names the variable or file it was read
 * from, for error messages ("/home/u/.config/goose/config.yaml", "environment variable
 * GOOSE_PORT").
 */
public record ConfigValue(
    String key, String value, ConfigSource source, String origin, boolean secret) {

  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]+:)[^@/\\s]+@");
  private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)([?&;]password=)[^&;]*");

  /**
   * The value as it may be shown to a person: secrets masked, and a password inside a URL ({@code
   * postgresql://user:pw@host/db}, {@code ?password=pw}) replaced by {@code ****}.
   */
  public String display() {
    if (secret) return mask(value);
    String shown = URL_PASSWORD.matcher(value).replaceAll("$1****@");
    return QUERY_PASSWORD.matcher(shown).replaceAll("$1****");
  }

  public static String mask(String secret) {
    if (secret.length() <= 8) return "********";
    return secret.substring(0, 3) + "…" + secret.substring(secret.length() - 2);
  }
}

package goose.config;

/** Where an effective setting came from, highest precedence first. */
public enum ConfigSource {
  ENV,
  FILE,
  SECRETS,
  DEFAULT;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

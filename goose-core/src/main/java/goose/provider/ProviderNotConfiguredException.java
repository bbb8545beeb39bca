package goose.provider;

import java.util.List;

/**
 * No provider can be built from the configuration: none chosen, an unknown name, or settings it
 * needs (its API key, an endpoint) are missing. The message says exactly what to set; the server
 * answers 503 with it and the CLI prints it. {@link #missingSettings()} lists the keys to set.
 */
public final class ProviderNotConfiguredException extends RuntimeException {
  private final List<String> missingSettings;

  public ProviderNotConfiguredException(String message, List<String> missingSettings) {
    super(message);
    this.missingSettings = List.copyOf(missingSettings);
  }

  public List<String> missingSettings() {
    return missingSettings;
  }
}

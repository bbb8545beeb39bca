package goose.provider;

import java.util.Objects;

/**
 * What every provider instance knows about itself: its configured name, model, window and HTTP
 * side.
 */
public record ProviderSettings(String name, String model, int contextLimit, ProviderHttp http) {
  public ProviderSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(http, "http");
    if (contextLimit <= 0) throw new IllegalArgumentException("context limit must be positive");
  }
}

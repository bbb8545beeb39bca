package goose.provider;

import java.util.Objects;

/**
 * What every provider instance knows about itself: its configured name, model, window, output
 * budget ({@code max_tokens} of every call) and HTTP side.
 */
public record ProviderSettings(
    String name, String model, int contextLimit, int maxOutputTokens, ProviderHttp http) {
  public ProviderSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(http, "http");
    if (contextLimit <= 0) throw new IllegalArgumentException("context limit must be positive");
    if (maxOutputTokens <= 0) throw new IllegalArgumentException("output budget must be positive");
  }

  /** With the model's output budget from {@link ModelLimits}. */
  public ProviderSettings(String name, String model, int contextLimit, ProviderHttp http) {
    this(name, model, contextLimit, ModelLimits.maxOutputTokens(model), http);
  }
}

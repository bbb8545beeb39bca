package goose.acp.agent;

import goose.config.Config;
import goose.provider.ModelLimits;

/** The context window a usage update reports: as the provider computes it from the settings. */
final class ContextWindow {
  private ContextWindow() {}

  static long of(Config config) {
    String model = config.get("GOOSE_MODEL").map(String::strip).orElse("");
    return config.getInt(
        "GOOSE_CONTEXT_LIMIT", ModelLimits.contextLimit(model), 1, Integer.MAX_VALUE);
  }
}

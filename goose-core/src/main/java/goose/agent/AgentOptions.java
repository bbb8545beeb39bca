package goose.agent;

import goose.config.Config;

/**
 * Limits and habits of the agent loop: {@code GOOSE_MAX_TURNS} provider calls per turn (default
 * 1000), {@code GOOSE_AUTO_COMPACT_THRESHOLD}, the share of the context window at which older
 * messages are summarised (default 0.8; 0 turns compaction off), and {@code GOOSE_PROMPT_CACHING}
 * (default true): cache hints in every request (Anthropic breakpoints, OpenAI's cache key).
 */
public record AgentOptions(int maxTurns, double autoCompactThreshold, boolean promptCaching) {
  public static final String PROMPT_CACHING = "GOOSE_PROMPT_CACHING";
  public static final AgentOptions DEFAULTS = new AgentOptions(1000, 0.8, true);

  public AgentOptions {
    if (maxTurns < 1) throw new IllegalArgumentException("max_turns must be at least 1");
    if (autoCompactThreshold < 0 || autoCompactThreshold > 1) {
      throw new IllegalArgumentException("auto_compact_threshold must be between 0 and 1");
    }
  }

  /** With prompt caching on. */
  public AgentOptions(int maxTurns, double autoCompactThreshold) {
    this(maxTurns, autoCompactThreshold, true);
  }

  public static AgentOptions from(Config config) {
    return new AgentOptions(
        config.getInt("GOOSE_MAX_TURNS", DEFAULTS.maxTurns, 1, 1_000_000),
        config.getDouble("GOOSE_AUTO_COMPACT_THRESHOLD", DEFAULTS.autoCompactThreshold, 0, 1),
        config.getBoolean(PROMPT_CACHING, DEFAULTS.promptCaching));
  }
}

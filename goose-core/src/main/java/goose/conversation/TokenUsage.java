package goose.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * Tokens of one provider call, or summed over several. {@code inputTokens} counts every prompt
 * token, cached or not (OpenAI's {@code prompt_tokens}; Anthropic's {@code input_tokens} plus its
 * two cache counts); {@code cacheReadInputTokens} and {@code cacheCreationInputTokens} are the
 * parts of it read from and written to the provider's prompt cache, which are billed at other
 * prices.
 */
public record TokenUsage(
    long inputTokens, long outputTokens, long cacheReadInputTokens, long cacheCreationInputTokens) {
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0);

  /** Usage without any prompt caching. */
  public TokenUsage(long inputTokens, long outputTokens) {
    this(inputTokens, outputTokens, 0, 0);
  }

  /**
   * From JSON: event logs and export files written before prompt caching have no cache counts,
   * which read as 0.
   */
  @JsonCreator
  static TokenUsage fromJson(
      @JsonProperty("input_tokens") long inputTokens,
      @JsonProperty("output_tokens") long outputTokens,
      @JsonProperty("cache_read_input_tokens") Optional<Long> cacheReadInputTokens,
      @JsonProperty("cache_creation_input_tokens") Optional<Long> cacheCreationInputTokens) {
    return new TokenUsage(
        inputTokens,
        outputTokens,
        cacheReadInputTokens.orElse(0L),
        cacheCreationInputTokens.orElse(0L));
  }

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cacheReadInputTokens + other.cacheReadInputTokens,
        cacheCreationInputTokens + other.cacheCreationInputTokens);
  }

  public long total() {
    return inputTokens + outputTokens;
  }

  /** Input tokens billed at the full input price: neither read from nor written to a cache. */
  public long uncachedInputTokens() {
    return Math.max(0, inputTokens - cacheReadInputTokens - cacheCreationInputTokens);
  }
}

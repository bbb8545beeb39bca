package goose.pricing;

import goose.conversation.TokenUsage;

/**
 * What a model costs, in US dollars per million tokens: prompt tokens at full price, tokens read
 * from the prompt cache, tokens written to it, and output tokens.
 */
public record ModelPrice(double input, double output, double cacheRead, double cacheWrite) {
  public ModelPrice {
    for (double p : new double[] {input, output, cacheRead, cacheWrite}) {
      if (!(p >= 0) || Double.isInfinite(p))
        throw new IllegalArgumentException("a price must be a finite number >= 0");
    }
  }

  /** The estimated cost of {@code usage}, in US dollars. */
  public double cost(TokenUsage usage) {
    return (usage.uncachedInputTokens() * input
            + usage.cacheReadInputTokens() * cacheRead
            + usage.cacheCreationInputTokens() * cacheWrite
            + usage.outputTokens() * output)
        / 1_000_000.0;
  }
}

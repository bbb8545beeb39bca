package goose.conversation;

/** Tokens of one provider call, or summed over several. */
public record TokenUsage(long inputTokens, long outputTokens) {
  public static final TokenUsage ZERO = new TokenUsage(0, 0);

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
  }

  public long total() {
    return inputTokens + outputTokens;
  }
}

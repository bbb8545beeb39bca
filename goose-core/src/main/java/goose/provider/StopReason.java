package goose.provider;

import java.util.Locale;

/** Why the model stopped a response. */
public enum StopReason {
  END_TURN,
  TOOL_USE,
  /** The reply reached the output budget ({@code max_tokens}) and was cut off. */
  MAX_TOKENS,
  OTHER;

  /** end_turn, tool_use, max_tokens or other, as the {@code usage} event says. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package goose.provider;

/** Why the model stopped a response. */
public enum StopReason {
  END_TURN,
  TOOL_USE,
  MAX_TOKENS,
  OTHER
}

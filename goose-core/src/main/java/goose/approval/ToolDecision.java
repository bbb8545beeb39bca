package goose.approval;

import java.util.Locale;

/** Why a tool call ran or did not, as the audit records it. */
public enum ToolDecision {
  /** No approval needed (mode auto, or a read-only tool in smart_approve). */
  AUTO,
  ALLOWED_ONCE,
  /**
   * Allowed by an earlier {@code always_allow} of this user for this tool, or by that answer now.
   */
  ALWAYS_ALLOWED,
  DENIED,
  /** No answer within {@code GOOSE_APPROVAL_TIMEOUT}: counts as a deny. */
  TIMEOUT,
  /** The turn was cancelled while the call waited for its approval. */
  CANCELLED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ToolDecision fromWire(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }

  public boolean runs() {
    return this == AUTO || this == ALLOWED_ONCE || this == ALWAYS_ALLOWED;
  }

  /** The error result the model sees for a call that did not run. */
  public String refusal() {
    return switch (this) {
      case DENIED -> "The tool call was denied by the user.";
      case TIMEOUT -> "The tool call was denied: no approval arrived in time.";
      case CANCELLED -> "The tool call was interrupted before it finished.";
      case AUTO, ALLOWED_ONCE, ALWAYS_ALLOWED ->
          throw new IllegalStateException(this + " runs the call");
    };
  }
}

package goose.approval;

import java.util.Locale;
import java.util.Optional;

/**
 * The state a pending approval ends in: one of the user's three answers, or closed without one
 * ({@code expired} after {@code GOOSE_APPROVAL_TIMEOUT}, {@code cancelled} with its turn).
 */
public enum ApprovalDecision {
  ALLOW_ONCE,
  ALWAYS_ALLOW,
  DENY,
  EXPIRED,
  CANCELLED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A user's answer: allow_once, always_allow or deny; empty for anything else. */
  public static Optional<ApprovalDecision> parseAnswer(String text) {
    for (ApprovalDecision d : new ApprovalDecision[] {ALLOW_ONCE, ALWAYS_ALLOW, DENY}) {
      if (d.wire().equals(text)) return Optional.of(d);
    }
    return Optional.empty();
  }

  public static ApprovalDecision fromWire(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }

  /** What the tool call becomes. */
  public ToolDecision toolDecision() {
    return switch (this) {
      case ALLOW_ONCE -> ToolDecision.ALLOWED_ONCE;
      case ALWAYS_ALLOW -> ToolDecision.ALWAYS_ALLOWED;
      case DENY -> ToolDecision.DENIED;
      case EXPIRED -> ToolDecision.TIMEOUT;
      case CANCELLED -> ToolDecision.CANCELLED;
    };
  }
}

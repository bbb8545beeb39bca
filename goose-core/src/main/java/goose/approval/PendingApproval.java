package goose.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A tool call waiting for (or answered by) its user. Stored, so that it can still be answered after
 * a reconnect or a server restart; {@code decision} is empty while it waits.
 */
public record PendingApproval(
    String sessionId,
    String callId,
    String user,
    String tool,
    ObjectNode arguments,
    Instant createdAt,
    Instant expiresAt,
    Optional<ApprovalDecision> decision) {
  public PendingApproval {
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(callId, "call_id");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(createdAt, "created_at");
    Objects.requireNonNull(expiresAt, "expires_at");
    decision = decision == null ? Optional.empty() : decision;
  }

  public boolean isOpen() {
    return decision.isEmpty();
  }
}

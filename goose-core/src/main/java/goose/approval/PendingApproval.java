package goose.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A tool call waiting for (or answered by) its user. Stored, so that it can still be answered after
 * a reconnect or a server restart; {@code decision} is empty while it waits. It is for one call:
 * {@code callId} (unique in its session) and {@code callHash}, the {@link CallHash} of the tool and
 * arguments it was asked for; it decides nothing for a call of another hash.
 */
public record PendingApproval(
    String sessionId,
    String callId,
    String callHash,
    String user,
    String tool,
    ObjectNode arguments,
    Instant createdAt,
    Instant expiresAt,
    Optional<ApprovalDecision> decision) {
  public PendingApproval {
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(callId, "call_id");
    Objects.requireNonNull(callHash, "call_hash");
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

  /** Is this the approval of exactly that call (same tool and arguments)? */
  public boolean isFor(String tool, com.fasterxml.jackson.databind.JsonNode arguments) {
    return callHash.equals(CallHash.of(tool, arguments));
  }
}

package goose.approval;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One tool call as the audit keeps it. {@code arguments} are already redacted ({@link Redactor});
 * {@code outcome} is "success" or "error" (a call that did not run is an error the model saw).
 */
public record AuditEntry(
    String id,
    Instant at,
    String user,
    String sessionId,
    String callId,
    String tool,
    JsonNode arguments,
    ToolDecision decision,
    String outcome,
    long durationMs) {
  public AuditEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(callId, "call_id");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(outcome, "outcome");
  }
}

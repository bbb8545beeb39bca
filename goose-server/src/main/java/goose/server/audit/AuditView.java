package goose.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import goose.approval.AuditEntry;
import goose.server.http.Doc;
import java.time.Instant;

@Doc("One tool call")
public record AuditView(
    @Doc("Entry id (UUIDv7)") String id,
    Instant at,
    String user,
    String sessionId,
    @Doc("The tool call's id") String callId,
    @Doc("extension__tool") String tool,
    @Doc("The arguments, secrets replaced by [REDACTED]") JsonNode arguments,
    @Doc("auto, allowed_once, always_allowed, denied, timeout or cancelled") String decision,
    @Doc("success or error") String outcome,
    @Doc("How long the tool ran (0 when it did not run)") long durationMs) {

  static AuditView of(AuditEntry e) {
    return new AuditView(
        e.id(),
        e.at(),
        e.user(),
        e.sessionId(),
        e.callId(),
        e.tool(),
        e.arguments(),
        e.decision().wire(),
        e.outcome(),
        e.durationMs());
  }
}

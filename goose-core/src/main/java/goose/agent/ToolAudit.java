package goose.agent;

import com.fasterxml.jackson.databind.JsonNode;
import goose.approval.AuditEntry;
import goose.approval.AuditLog;
import goose.approval.Redactor;
import goose.approval.ToolDecision;
import goose.conversation.Content;
import goose.ids.Ids;
import goose.tool.ToolContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every tool call: one INFO line on logger {@code goose.audit} and one row in the {@link
 * AuditLog}, both with the arguments redacted. A failure to store the row is logged, never fails
 * the call.
 */
final class ToolAudit {
  private static final Logger log = LoggerFactory.getLogger("goose.audit");

  /** Longest string argument kept (redacted) in the audit and the log line. */
  static final int MAX_TEXT = 2000;

  private final AuditLog store;

  ToolAudit(AuditLog store) {
    this.store = store;
  }

  void record(
      ToolContext context,
      Content.ToolRequest request,
      ToolDecision decision,
      Content.ToolResponse response,
      long durationMs) {
    JsonNode arguments = Redactor.redact(request.arguments(), MAX_TEXT);
    String outcome = response.isError() ? "error" : "success";
    log.info(
        "tool call user={} session={} call={} tool={} decision={} outcome={} duration_ms={} arguments={}",
        context.userId(),
        context.sessionId(),
        request.id(),
        request.name(),
        decision.wire(),
        outcome,
        durationMs,
        arguments);
    try {
      store.record(
          new AuditEntry(
              Ids.newId(),
              Instant.now(),
              context.userId(),
              context.sessionId(),
              request.id(),
              request.name(),
              arguments,
              decision,
              outcome,
              durationMs));
    } catch (RuntimeException e) {
      log.warn(
          "could not store the audit entry of call {} in session {}: {}",
          request.id(),
          context.sessionId(),
          e.getMessage());
    }
  }
}

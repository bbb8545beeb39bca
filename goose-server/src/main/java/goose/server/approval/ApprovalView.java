package goose.server.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.approval.ApprovalDecision;
import goose.approval.PendingApproval;
import goose.server.http.Doc;
import java.time.Instant;
import java.util.Optional;

/** A tool call waiting for (or answered by) its user. */
@Doc("A tool approval")
public record ApprovalView(
    @Doc("The tool call's id, as in tool_approval_required") String id,
    @Doc("SHA-256 of the tool and its arguments: which call exactly this approval is for")
        String callHash,
    @Doc("extension__tool") String tool,
    @Doc("The arguments the model gave") ObjectNode arguments,
    Instant createdAt,
    @Doc("When an unanswered call counts as denied") Instant expiresAt,
    @Doc("allow_once, always_allow, deny, expired or cancelled; absent while open")
        Optional<String> decision) {

  static ApprovalView of(PendingApproval a) {
    return new ApprovalView(
        a.callId(),
        a.callHash(),
        a.tool(),
        a.arguments(),
        a.createdAt(),
        a.expiresAt(),
        a.decision().map(ApprovalDecision::wire));
  }
}

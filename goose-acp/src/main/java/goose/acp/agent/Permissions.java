package goose.acp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcPeer;
import goose.acp.wire.AcpJson;
import goose.acp.wire.SessionUpdate;
import goose.approval.ApprovalDecision;
import goose.approval.Approvals;
import goose.error.ErrorMessages;
import goose.event.TurnEvent;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tool approval ({@code GOOSE_MODE=approve}, {@code smart_approve}) asked of an ACP client: the
 * stored approval the REST face also sees becomes a {@code session/request_permission}; the
 * client's choice is the answer, through the same {@link Approvals} as {@code POST
 * /sessions/{id}/tool-approvals/{call}}. {@code allow_always} is remembered for the tool; {@code
 * reject_always} denies this call (the server remembers allowed tools only); a {@code cancelled}
 * outcome, one the client cannot give, or an error answer denies. A connection that closes before
 * answering leaves the approval open for another face. Whichever face answers first decides.
 */
final class Permissions {
  private static final Logger log = LoggerFactory.getLogger(Permissions.class);
  private static final String[] KINDS = {
    "allow_once", "allow_always", "reject_once", "reject_always"
  };
  private static final String[] NAMES = {"Allow once", "Always allow", "Reject", "Always reject"};

  private final Approvals approvals;
  private final String user;
  private final String sessionId;
  private final RpcPeer peer;
  private final Consumer<SessionUpdate> updates;

  /**
   * @param updates sends a session update to the client (a call allowed here is in progress again)
   */
  Permissions(
      Approvals approvals,
      String user,
      String sessionId,
      RpcPeer peer,
      Consumer<SessionUpdate> updates) {
    this.approvals = approvals;
    this.user = user;
    this.sessionId = sessionId;
    this.peer = peer;
    this.updates = updates;
  }

  /** Asks on a thread of its own: the follower goes on relaying while the user decides. */
  void ask(TurnEvent.ToolApprovalRequired asked) {
    Thread.ofVirtual().name("acp-permission-" + asked.id()).start(() -> askAndAnswer(asked));
  }

  private void askAndAnswer(TurnEvent.ToolApprovalRequired asked) {
    JsonNode answer;
    try {
      answer = peer.request("session/request_permission", params(asked)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (java.util.concurrent.ExecutionException e) {
      String why = ErrorMessages.of(Objects.requireNonNullElse(e.getCause(), e));
      if (peer.isClosed()) {
        log.info("permission request for {} got no answer: {}", asked.id(), why);
        return; // the approval stays open for another face, or expires
      }
      // The client answered with an error (one that cannot ask its user, say): denied now, so
      // that the turn goes on at once instead of waiting out GOOSE_APPROVAL_TIMEOUT.
      log.warn(
          "ACP client answered the permission request for {} with an error ({}): denied",
          asked.id(),
          why);
      answer(asked, ApprovalDecision.DENY);
      return;
    }
    answer(asked, decision(answer));
  }

  private void answer(TurnEvent.ToolApprovalRequired asked, ApprovalDecision decision) {
    Approvals.Answer result = approvals.answer(user, sessionId, asked.id(), decision);
    log.debug("ACP permission for {}: {} ({})", asked.id(), decision.wire(), result);
    if (result == Approvals.Answer.ANSWERED
        && (decision == ApprovalDecision.ALLOW_ONCE || decision == ApprovalDecision.ALWAYS_ALLOW))
      updates.accept(UpdateProjection.status(asked.id(), "in_progress"));
  }

  static ApprovalDecision decision(JsonNode answer) {
    JsonNode outcome = answer == null ? null : answer.path("outcome");
    if (outcome == null || !"selected".equals(outcome.path("outcome").asText()))
      return ApprovalDecision.DENY;
    return switch (outcome.path("optionId").asText()) {
      case "allow_once" -> ApprovalDecision.ALLOW_ONCE;
      case "allow_always" -> ApprovalDecision.ALWAYS_ALLOW;
      default -> ApprovalDecision.DENY;
    };
  }

  private ObjectNode params(TurnEvent.ToolApprovalRequired asked) {
    ObjectNode p = AcpJson.object().put("sessionId", sessionId);
    ObjectNode call =
        p.putObject("toolCall")
            .put("toolCallId", asked.id())
            .put("title", ToolCallViews.title(asked.tool(), asked.arguments()))
            .put("kind", ToolCallViews.kind(asked.tool(), asked.arguments()))
            .put("status", "pending");
    call.set("rawInput", asked.arguments());
    call.set("locations", AcpJson.tree(ToolCallViews.locations(asked.tool(), asked.arguments())));
    ArrayNode options = p.putArray("options");
    for (int i = 0; i < KINDS.length; i++)
      options.addObject().put("optionId", KINDS[i]).put("name", NAMES[i]).put("kind", KINDS[i]);
    return p;
  }
}

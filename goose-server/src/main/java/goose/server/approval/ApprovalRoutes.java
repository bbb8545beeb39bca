package goose.server.approval;

import goose.approval.ApprovalDecision;
import goose.approval.Approvals;
import goose.approval.PendingApproval;
import goose.server.api.ApiRouter;
import goose.server.api.Param;
import goose.server.api.RequestBody;
import goose.server.api.RouteGroup;
import goose.server.http.ApiException;
import goose.server.http.ErrorCode;
import goose.server.http.RequestUser;
import goose.server.http.Sanitize;
import goose.server.session.SessionRoutes;
import goose.session.Session;
import goose.session.SessionStore;
import io.javalin.http.Context;

/**
 * Tool approvals: the calls of a session that wait for their user, and the user's answer. The
 * answer wakes the waiting turn, on this server or (through the shared store) on another instance;
 * a turn suspended by a restart is resumed at start and waits for the same answer.
 */
public final class ApprovalRoutes implements RouteGroup {
  private static final Param<String> CALL_ID =
      Param.path("call_id", "The id of the tool call (the id of tool_approval_required)");
  private static final int MAX_CALL_ID = 256;

  private final SessionStore sessions;
  private final Approvals approvals;

  public ApprovalRoutes(SessionStore sessions, Approvals approvals) {
    this.sessions = sessions;
    this.approvals = approvals;
  }

  public static void declare(ApiRouter.Routes<ApprovalRoutes> api) {
    api.get("/sessions/{id}/tool-approvals", "listToolApprovals")
        .tag("approvals")
        .summary("The tool calls of a session that wait for an answer")
        .param(SessionRoutes.ID)
        .response(200, "Open approvals, oldest first", ApprovalList.class)
        .error(404, "No such session")
        .handle(ApprovalRoutes::list);
    api.post("/sessions/{id}/tool-approvals/{call_id}", "answerToolApproval")
        .tag("approvals")
        .summary("Answer a tool_approval_required event")
        .description(
            """
            allow_once runs this call; always_allow runs it and every later call of the same tool for this \
            user without asking; deny answers the model with an error result. A call not answered within \
            GOOSE_APPROVAL_TIMEOUT seconds counts as denied. An answer is for one call: its id (unique in \
            the session) and, when call_hash is sent, exactly the tool and arguments that were shown.""")
        .param(SessionRoutes.ID)
        .param(CALL_ID)
        .body(ApprovalAnswer.class)
        .response(200, "The answer was taken", ApprovalView.class)
        .error(400, "decision is not allow_once, always_allow or deny")
        .error(404, "No such session, or no such approval in it")
        .error(
            409,
            "The approval was already decided (answered, expired or cancelled), or call_hash names another call")
        .handle(ApprovalRoutes::answer);
  }

  private void list(Context ctx) {
    Session session = SessionRoutes.find(ctx, sessions);
    ctx.json(
        new ApprovalList(
            approvals.store().openIn(session.id()).stream().map(ApprovalView::of).toList()));
  }

  private void answer(Context ctx) {
    ApprovalAnswer body = RequestBody.of(ctx, ApprovalAnswer.class);
    ApprovalDecision decision =
        ApprovalDecision.parseAnswer(body.decision())
            .orElseThrow(
                () ->
                    ApiException.badField("decision", "must be allow_once, always_allow or deny"));
    Session session = SessionRoutes.find(ctx, sessions);
    String callId = CALL_ID.read(ctx);
    if (callId.isEmpty()
        || callId.length() > MAX_CALL_ID
        || callId.chars().anyMatch(Character::isISOControl)) {
      throw notFound(
          callId); // no stored call has such an id: answered like any unknown one, never reaching
      // the store
    }
    String user = RequestUser.of(ctx).id();
    switch (approvals.answer(user, session.id(), callId, decision, body.callHash())) {
      case ANSWERED -> {}
      case UNKNOWN -> throw notFound(callId);
      case OTHER_CALL ->
          throw new ApiException(
              ErrorCode.CONFLICT,
              "tool call "
                  + Sanitize.shortText(callId, 64)
                  + " is not the call whose call_hash was sent: its approval was asked again for"
                  + " other arguments; answer the latest tool_approval_required");
      case ALREADY_DECIDED -> {
        String was =
            approvals
                .store()
                .get(session.id(), callId)
                .flatMap(PendingApproval::decision)
                .map(ApprovalDecision::wire)
                .orElse("decided");
        throw new ApiException(
            ErrorCode.CONFLICT,
            "tool call " + Sanitize.shortText(callId, 64) + " was already decided: " + was);
      }
    }
    PendingApproval answered =
        approvals.store().get(session.id(), callId).orElseThrow(() -> notFound(callId));
    ctx.json(ApprovalView.of(answered));
  }

  private static ApiException notFound(String callId) {
    return ApiException.notFound(
        "no tool approval " + Sanitize.shortText(callId, 64) + " in this session");
  }
}

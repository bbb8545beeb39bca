package goose.acp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcCall;
import goose.acp.rpc.RpcException;
import goose.acp.wire.AcpJson;
import goose.agent.TurnService;
import goose.conversation.Content;
import goose.error.ErrorMessages;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * {@code session/prompt} and {@code session/cancel}: a prompt is a turn of the {@link TurnService}
 * the REST API uses (one running turn per session, whichever face started it: a second prompt is an
 * error, not a second turn). Its updates reach the client through the session's follower; the
 * answer waits for the turn's end in the event log. A cancel ({@code session/cancel}, {@code
 * $/cancel_request} of the prompt, or {@code POST /sessions/{id}/cancel}) ends it with {@code
 * stopReason: cancelled}, never an error.
 */
final class PromptMethods {
  private final AcpServices services;
  private final String user;
  private final AttachedSessions attached;

  PromptMethods(AcpServices services, String user, AttachedSessions attached) {
    this.services = services;
    this.user = user;
    this.attached = attached;
  }

  JsonNode prompt(JsonNode params, RpcCall call) {
    String sessionId = SessionMethods.text(params, "sessionId");
    List<Content> content = PromptContent.parse(params.get("prompt"));
    if (services.sessions().get(user, sessionId).isEmpty())
      throw RpcException.notFound("Session not found: " + sessionId);
    SessionFollower follower = attached.ensure(sessionId);
    TurnService.StartedTurn turn =
        services.turns().start(user, sessionId, content, Optional.empty());
    call.onCancel(() -> services.turns().cancelTurn(sessionId, turn.turnId()));
    SessionFollower.TurnEnd end;
    try {
      end = follower.turnEnd(turn.turnId()).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      services.turns().cancelTurn(sessionId, turn.turnId());
      throw RpcException.internal("interrupted");
    } catch (ExecutionException e) {
      throw RpcException.internal(
          "the session stopped being followed: "
              + ErrorMessages.of(Objects.requireNonNullElse(e.getCause(), e)));
    } finally {
      follower.forget(turn.turnId());
    }
    if (end.stopReason().equals("error")) {
      String code = end.error().map(goose.event.TurnEvent.Error::code).orElse("internal");
      String message =
          end.error().map(goose.event.TurnEvent.Error::message).orElse("the turn failed");
      throw AcpErrors.error(RpcException.INTERNAL_ERROR, "Internal error", code, message);
    }
    ObjectNode result = AcpJson.object().put("stopReason", stopReason(end.stopReason()));
    result
        .putObject("usage")
        .put("totalTokens", end.usage().total())
        .put("inputTokens", end.usage().inputTokens())
        .put("outputTokens", end.usage().outputTokens());
    return result;
  }

  void cancel(JsonNode params) {
    JsonNode id = params.get("sessionId");
    if (id == null || !id.isTextual()) return;
    try {
      services.turns().cancel(user, id.asText());
    } catch (goose.session.SessionNotFoundException e) {
      // a notification has no answer: nothing to cancel
    }
  }

  /** The core's stop reasons as ACP's. */
  static String stopReason(String core) {
    return switch (core) {
      case "max_turns" -> "max_turn_requests";
      case "cancelled" -> "cancelled";
      default -> "end_turn";
    };
  }
}

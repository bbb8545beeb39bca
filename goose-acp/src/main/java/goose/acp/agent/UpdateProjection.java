package goose.acp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import goose.acp.wire.ContentBlock;
import goose.acp.wire.SessionUpdate;
import goose.acp.wire.ToolCallContent;
import goose.event.TurnEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a session's stored {@link TurnEvent}s into ACP {@code session/update}s, exactly as the SSE
 * stream turns them into its events: the ACP face is a projection of the same log. It remembers the
 * arguments of the calls it saw announced, because a result's diff and plan come from them. Events
 * with no ACP counterpart (extension notifications, approval requests, which become {@code
 * session/request_permission}, errors, which end the prompt, per-call usage) project to nothing; a
 * generated title is a {@code session_info_update}; the end of a turn is the caller's to report as
 * a usage update.
 */
final class UpdateProjection {
  private static final int REMEMBERED_CALLS = 1024;

  private final Map<String, JsonNode> arguments =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
          return size() > REMEMBERED_CALLS;
        }
      };

  List<SessionUpdate> project(TurnEvent event) {
    return switch (event) {
      case TurnEvent.MessageChunk c ->
          List.of(
              c.type().equals("thinking")
                  ? new SessionUpdate.AgentThoughtChunk(
                      new ContentBlock.Text(c.text()), Optional.of(c.messageId()))
                  : new SessionUpdate.AgentMessageChunk(
                      new ContentBlock.Text(c.text()), Optional.of(c.messageId())));
      case TurnEvent.ToolCall call -> List.of(started(call.id(), call.tool(), call.arguments()));
      case TurnEvent.ToolResult result ->
          finished(result.id(), result.tool(), result.status().equals("success"), result.result());
      case TurnEvent.Notification n -> List.of();
      // The call waits for the user's permission: pending, not running (in_progress follows an
      // allowing answer given over ACP, completed or failed the call's end).
      case TurnEvent.ToolApprovalRequired a -> List.of(status(a.id(), "pending"));
      case TurnEvent.Error e -> List.of();
      // Per-call usage: the turn's end reports the context as a usage update.
      case TurnEvent.ModelUsage u -> List.of();
      // A title generated after the first exchange.
      case TurnEvent.SessionRenamed r ->
          List.of(
              new SessionUpdate.SessionInfoUpdate(
                  Optional.of(r.name()), Optional.empty(), Optional.empty()));
      case TurnEvent.MessageComplete m -> List.of();
    };
  }

  /** A call announced: in progress, with what it works on. */
  SessionUpdate started(String id, String tool, JsonNode args) {
    synchronized (arguments) {
      arguments.put(id, args);
    }
    return new SessionUpdate.ToolCall(
        id,
        ToolCallViews.title(tool, args),
        ToolCallViews.kind(tool, args),
        "in_progress",
        List.of(),
        ToolCallViews.locations(tool, args),
        args);
  }

  /** A call's new status, nothing else changed. */
  static SessionUpdate status(String id, String status) {
    return new SessionUpdate.ToolCallUpdate(
        id, Optional.of(status), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * A call ended: its status and output, the diff of a successful edit, then the plan of a todo
   * list.
   */
  List<SessionUpdate> finished(String id, String tool, boolean success, JsonNode output) {
    JsonNode args;
    synchronized (arguments) {
      args = arguments.remove(id);
    }
    List<ToolCallContent> content = new ArrayList<>();
    if (success && args != null) ToolCallViews.diff(tool, args).ifPresent(content::add);
    content.addAll(ToolCallViews.content(output));
    List<SessionUpdate> out = new ArrayList<>();
    out.add(
        new SessionUpdate.ToolCallUpdate(
            id,
            Optional.of(success ? "completed" : "failed"),
            Optional.of(content),
            Optional.empty(),
            Optional.ofNullable(output)));
    if (success && args != null)
      ToolCallViews.plan(tool, args).map(SessionUpdate.Plan::new).ifPresent(out::add);
    return out;
  }
}

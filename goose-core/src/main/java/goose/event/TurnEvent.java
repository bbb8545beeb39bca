package goose.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.TokenUsage;
import java.util.Objects;

/**
 * What a client sees of a turn, event by event. Each is stored in the session's event log with a
 * sequence number and sent as one SSE event whose name is {@link #eventName()} and whose data is
 * the record as JSON.
 */
public sealed interface TurnEvent {

  /** The SSE event name (message_chunk, tool_call, ...). */
  String eventName();

  /** A piece of the assistant's reply; {@code type} is "text" or "thinking". */
  record MessageChunk(String type, String text, String messageId) implements TurnEvent {
    public MessageChunk {
      Objects.requireNonNull(type);
      Objects.requireNonNull(text);
      Objects.requireNonNull(messageId);
    }

    @Override
    public String eventName() {
      return "message_chunk";
    }
  }

  record ToolCall(String id, String tool, ObjectNode arguments, String status)
      implements TurnEvent {
    @Override
    public String eventName() {
      return "tool_call";
    }
  }

  /** {@code status} is "success" or "error"; {@code result} the tool's content parts. */
  record ToolResult(String id, String tool, String status, JsonNode result) implements TurnEvent {
    @Override
    public String eventName() {
      return "tool_result";
    }
  }

  /** Progress or log messages from an extension while a tool runs. */
  record Notification(String source, String kind, JsonNode payload) implements TurnEvent {
    @Override
    public String eventName() {
      return "notification";
    }
  }

  record ToolApprovalRequired(String id, String tool, ObjectNode arguments) implements TurnEvent {
    @Override
    public String eventName() {
      return "tool_approval_required";
    }
  }

  // Always named qualified (TurnEvent.Error), so it never hides java.lang.Error at a use site.
  @SuppressWarnings("JavaLangClash")
  record Error(String code, String message) implements TurnEvent {
    @Override
    public String eventName() {
      return "error";
    }
  }

  /** Always the last event of a turn. {@code stopReason}: end_turn, max_turns, cancelled, error. */
  record MessageComplete(String stopReason, TokenUsage usage) implements TurnEvent {
    @Override
    public String eventName() {
      return "message_complete";
    }
  }
}

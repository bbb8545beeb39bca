package goose.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.OptBoolean;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.TokenUsage;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a client sees of a turn, event by event. Each is stored in the session's event log with a
 * sequence number and sent as one SSE event whose name is {@link #eventName()} and whose data is
 * the record as JSON, carrying the same name in its {@code event} property (the discriminator a
 * generated client dispatches on: no two kinds can be mistaken for each other).
 *
 * <p>The names below are the only place they are written. {@code turn_error} was called {@code
 * error} in earlier builds: that name collided with EventSource's own {@code error} event (a
 * dropped connection and a failed turn reached the same handler). Logs written then still read, see
 * {@link EventCodec#fromJson}.
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.NAME,
    include = JsonTypeInfo.As.PROPERTY,
    property = "event",
    // Events stored before the property existed have no type id: their name column says the type.
    requireTypeIdForSubtypes = OptBoolean.FALSE)
@JsonSubTypes({
  @JsonSubTypes.Type(value = TurnEvent.MessageChunk.class, name = "message_chunk"),
  @JsonSubTypes.Type(value = TurnEvent.ToolCall.class, name = "tool_call"),
  @JsonSubTypes.Type(value = TurnEvent.ToolResult.class, name = "tool_result"),
  @JsonSubTypes.Type(value = TurnEvent.Notification.class, name = "notification"),
  @JsonSubTypes.Type(value = TurnEvent.ToolApprovalRequired.class, name = "tool_approval_required"),
  @JsonSubTypes.Type(value = TurnEvent.Error.class, name = "turn_error"),
  @JsonSubTypes.Type(value = TurnEvent.ModelUsage.class, name = "usage"),
  @JsonSubTypes.Type(value = TurnEvent.SessionRenamed.class, name = "session_renamed"),
  @JsonSubTypes.Type(value = TurnEvent.MessageComplete.class, name = "message_complete"),
})
public sealed interface TurnEvent {

  /** The SSE event name (message_chunk, tool_call, ...), as declared above. */
  default String eventName() {
    return EventCodec.eventName(this);
  }

  /** A piece of the assistant's reply; {@code type} is "text" or "thinking". */
  record MessageChunk(String type, String text, String messageId) implements TurnEvent {
    public MessageChunk {
      Objects.requireNonNull(type);
      Objects.requireNonNull(text);
      Objects.requireNonNull(messageId);
    }
  }

  record ToolCall(String id, String tool, ObjectNode arguments, String status)
      implements TurnEvent {}

  /** {@code status} is "success" or "error"; {@code result} the tool's content parts. */
  record ToolResult(String id, String tool, String status, JsonNode result) implements TurnEvent {}

  /** Progress or log messages from an extension while a tool runs. */
  record Notification(String source, String kind, JsonNode payload) implements TurnEvent {}

  /**
   * A call waits for its user's answer. {@code id} is the server's id of the call (unique in its
   * session); {@code callHash} pins exactly which call it is ({@link goose.approval.CallHash}): an
   * answer may send it back, and is refused if it names another call.
   */
  record ToolApprovalRequired(String id, String tool, ObjectNode arguments, String callHash)
      implements TurnEvent {
    public ToolApprovalRequired {
      if (callHash == null) callHash = goose.approval.CallHash.of(tool, arguments);
    }

    public ToolApprovalRequired(String id, String tool, ObjectNode arguments) {
      this(id, tool, arguments, goose.approval.CallHash.of(tool, arguments));
    }
  }

  /** The turn failed (provider error, interrupted turn...); a message_complete follows. */
  // Always named qualified (TurnEvent.Error), so it never hides java.lang.Error at a use site.
  @SuppressWarnings("JavaLangClash")
  record Error(String code, String message) implements TurnEvent {}

  /**
   * One model call ended. {@code messageId} is its reply's (the id of its message_chunk events),
   * {@code stopReason} why the model stopped: end_turn, tool_use, max_tokens (the reply was cut by
   * the output budget; the agent asks the model to go on) or other. {@code costUsd} is the call's
   * estimated cost in US dollars, absent when the model has no price.
   */
  record ModelUsage(String messageId, String stopReason, TokenUsage usage, OptionalDouble costUsd)
      implements TurnEvent {
    public ModelUsage {
      Objects.requireNonNull(messageId);
      Objects.requireNonNull(stopReason);
      Objects.requireNonNull(usage);
      costUsd = costUsd == null ? OptionalDouble.empty() : costUsd;
    }
  }

  /**
   * The session got a new name: a title generated after its first exchange (a name a user chose is
   * never replaced). May come after the turn's message_complete.
   */
  record SessionRenamed(String name) implements TurnEvent {
    public SessionRenamed {
      Objects.requireNonNull(name);
    }
  }

  /**
   * Always the last event of a turn. {@code stopReason}: end_turn, max_turns, max_tokens (the
   * model's replies kept being cut by the output budget), cancelled, error. {@code usage} sums the
   * turn's model calls; {@code costUsd} is their estimated cost in US dollars, absent when the
   * model has no price.
   */
  record MessageComplete(String stopReason, TokenUsage usage, OptionalDouble costUsd)
      implements TurnEvent {
    public MessageComplete {
      costUsd = costUsd == null ? OptionalDouble.empty() : costUsd;
    }

    /** Without a cost estimate. */
    public MessageComplete(String stopReason, TokenUsage usage) {
      this(stopReason, usage, OptionalDouble.empty());
    }
  }
}

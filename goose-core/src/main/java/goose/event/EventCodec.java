package goose.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import goose.event.TurnEvent.Error;
import goose.event.TurnEvent.MessageChunk;
import goose.event.TurnEvent.MessageComplete;
import goose.event.TurnEvent.Notification;
import goose.event.TurnEvent.ToolApprovalRequired;
import goose.event.TurnEvent.ToolCall;
import goose.event.TurnEvent.ToolResult;
import goose.json.Json;

/**
 * The one JSON form of a {@link TurnEvent}: an event name plus the record as snake_case JSON. The
 * store keeps exactly this pair and the server sends it unchanged as an SSE {@code event:} and
 * {@code data:}, so an event replayed from the log after a restart is byte-for-byte the event sent
 * live.
 */
public final class EventCodec {
  private EventCodec() {}

  public static String eventName(TurnEvent event) {
    return switch (event) {
      case MessageChunk e -> "message_chunk";
      case ToolCall e -> "tool_call";
      case ToolResult e -> "tool_result";
      case Notification e -> "notification";
      case ToolApprovalRequired e -> "tool_approval_required";
      case Error e -> "error";
      case MessageComplete e -> "message_complete";
    };
  }

  /**
   * The record's components as a JSON object (a MessageChunk's {@code type} is its text/thinking
   * kind).
   */
  public static JsonNode toJson(TurnEvent event) {
    return Json.MAPPER.valueToTree(event);
  }

  /** {@link #toJson} as text, written in one pass (the SSE hot path). */
  public static String toJsonText(TurnEvent event) {
    try {
      return Json.MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The event named {@code eventName} read from {@code data}. Throws {@link
   * IllegalArgumentException} for an unknown name or data that does not fit that event (missing or
   * mistyped fields).
   */
  public static TurnEvent fromJson(String eventName, JsonNode data) {
    Class<? extends TurnEvent> type =
        switch (eventName) {
          case "message_chunk" -> MessageChunk.class;
          case "tool_call" -> ToolCall.class;
          case "tool_result" -> ToolResult.class;
          case "notification" -> Notification.class;
          case "tool_approval_required" -> ToolApprovalRequired.class;
          case "error" -> Error.class;
          case "message_complete" -> MessageComplete.class;
          default -> throw new IllegalArgumentException("unknown event name: " + eventName);
        };
    if (data == null || !data.isObject()) {
      throw new IllegalArgumentException("data of event " + eventName + " must be a JSON object");
    }
    try {
      return Json.MAPPER.treeToValue(data, type);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          "bad data for event " + eventName + ": " + firstLine(e), e);
    }
  }

  private static String firstLine(Exception e) {
    String message =
        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (message == null) return e.getClass().getSimpleName();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}

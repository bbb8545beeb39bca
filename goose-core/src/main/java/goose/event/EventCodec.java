package goose.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON form of a {@link TurnEvent}: an event name plus the record as snake_case JSON (which
 * repeats the name as its {@code event} property). The store keeps exactly this pair and the server
 * sends it unchanged as an SSE {@code event:} and {@code data:}, so an event replayed from the log
 * after a restart is byte-for-byte the event sent live.
 */
public final class EventCodec {
  /**
   * Names that earlier builds stored in event logs and export files, and the kind each now is:
   * {@code error} became {@code turn_error}. Read only, never written.
   */
  private static final Map<String, Class<? extends TurnEvent>> LEGACY_NAMES =
      Map.of("error", TurnEvent.Error.class);

  private static final Map<String, Class<? extends TurnEvent>> BY_NAME = byName();

  private static final ClassValue<String> NAMES =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          for (JsonSubTypes.Type sub : declared()) if (sub.value() == type) return sub.name();
          throw new IllegalStateException(type + " has no name in TurnEvent's @JsonSubTypes");
        }
      };

  private EventCodec() {}

  /** The SSE event name of an event, the one its {@code event} property carries. */
  public static String eventName(TurnEvent event) {
    return NAMES.get(event.getClass());
  }

  /** Every current event name (not the legacy ones), in declaration order. */
  public static List<String> eventNames() {
    return Arrays.stream(declared()).map(JsonSubTypes.Type::name).toList();
  }

  /**
   * The record's components as a JSON object, with its name as {@code event} (a MessageChunk's
   * {@code type} is its text/thinking kind).
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
   * The event named {@code eventName} read from {@code data}. Data stored by earlier builds has no
   * {@code event} property and may carry a legacy name ({@code error}); both still read. Throws
   * {@link IllegalArgumentException} for an unknown name or data that does not fit that event
   * (missing or mistyped fields, an {@code event} property naming another kind).
   */
  public static TurnEvent fromJson(String eventName, JsonNode data) {
    Class<? extends TurnEvent> type = BY_NAME.get(eventName);
    if (type == null) throw new IllegalArgumentException("unknown event name: " + eventName);
    if (data == null || !data.isObject()) {
      throw new IllegalArgumentException("data of event " + eventName + " must be a JSON object");
    }
    JsonNode declaredName = data.get("event");
    if (declaredName != null && !declaredName.asText().equals(eventName(type))) {
      throw new IllegalArgumentException(
          "bad data for event " + eventName + ": its event property says " + declaredName);
    }
    try {
      return Json.MAPPER.treeToValue(data, type);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          "bad data for event " + eventName + ": " + firstLine(e), e);
    }
  }

  private static String eventName(Class<? extends TurnEvent> type) {
    return NAMES.get(type);
  }

  private static JsonSubTypes.Type[] declared() {
    return TurnEvent.class.getAnnotation(JsonSubTypes.class).value();
  }

  @SuppressWarnings("unchecked") // @JsonSubTypes on TurnEvent lists only TurnEvent records
  private static Map<String, Class<? extends TurnEvent>> byName() {
    Map<String, Class<? extends TurnEvent>> byName = new HashMap<>(LEGACY_NAMES);
    for (JsonSubTypes.Type sub : declared()) {
      byName.put(sub.name(), (Class<? extends TurnEvent>) sub.value());
    }
    return Map.copyOf(byName);
  }

  private static String firstLine(Exception e) {
    String message =
        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (message == null) return e.getClass().getSimpleName();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}

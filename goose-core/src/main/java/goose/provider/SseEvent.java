package goose.provider;

import java.util.Objects;

/**
 * One Server-Sent Event: its type ({@code message} when the stream gave none), its data (the data
 * lines joined with {@code \n}) and its id (empty when none).
 */
public record SseEvent(String event, String data, String id) {
  public SseEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(id, "id");
  }
}

package goose.event;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as kept in a session's log: its sequence number (1, 2, ... per session) and its turn.
 */
public record StoredEvent(
    String sessionId, long seq, String turnId, Instant createdAt, TurnEvent event) {
  public StoredEvent {
    Objects.requireNonNull(sessionId);
    Objects.requireNonNull(turnId);
    Objects.requireNonNull(createdAt);
    Objects.requireNonNull(event);
  }
}

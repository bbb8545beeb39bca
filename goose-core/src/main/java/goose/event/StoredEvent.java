package goose.event;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as kept in a session's log: its sequence number (1, 2, ... per session), its turn, and
 * its data as JSON text exactly as clients receive it ({@link EventCodec#toJsonText}). The text is
 * made once, when the event is stored, and the SSE stream sends that same text: an event used to be
 * encoded twice, for the store and again for each stream (2 % of goosed's CPU each at 1,000
 * concurrent turns; docs/benchmarks.md, "Per-turn and per-event CPU").
 *
 * @param data {@code EventCodec.toJsonText(event)}; the caller guarantees it (use the five-argument
 *     constructor when only the event is at hand)
 */
public record StoredEvent(
    String sessionId, long seq, String turnId, Instant createdAt, TurnEvent event, String data) {
  public StoredEvent {
    Objects.requireNonNull(sessionId);
    Objects.requireNonNull(turnId);
    Objects.requireNonNull(createdAt);
    Objects.requireNonNull(event);
    Objects.requireNonNull(data);
  }

  /**
   * An event whose JSON text is made here (events read back from the store: their stored text may
   * come from an earlier build, so it is written anew in the current form).
   */
  public StoredEvent(
      String sessionId, long seq, String turnId, Instant createdAt, TurnEvent event) {
    this(sessionId, seq, turnId, createdAt, event, EventCodec.toJsonText(event));
  }
}

package goose.server.session;

import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.server.http.Doc;
import java.time.Instant;
import java.util.Optional;

/**
 * Why a past turn failed: a {@code turn_error} event of the session's log, which the stored
 * messages do not show (the web UI renders it after the messages stored before it).
 */
@Doc("A turn_error event of the session's log")
public record TurnErrorView(
    @Doc("The event's sequence number in the session's log") long seq,
    @Doc("The failed turn's id") String turnId,
    @Doc("When the error was stored") Instant createdAt,
    @Doc("The error's code, as in the turn_error event") String code,
    @Doc("The error's message, as in the turn_error event") String message) {

  static Optional<TurnErrorView> of(StoredEvent e) {
    return e.event() instanceof TurnEvent.Error error
        ? Optional.of(
            new TurnErrorView(e.seq(), e.turnId(), e.createdAt(), error.code(), error.message()))
        : Optional.empty();
  }
}

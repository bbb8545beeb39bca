package goose.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One agent turn of a session as recorded in the store: at most one per session is {@code RUNNING}
 * (the store enforces it, across instances too). {@code requestId} is the client's idempotency key;
 * {@code firstSeq} the sequence number of the turn's first event, where a re-attaching client
 * starts.
 */
public record Turn(
    String id,
    String sessionId,
    Optional<String> requestId,
    TurnStatus status,
    Instant startedAt,
    long firstSeq) {
  public Turn {
    Objects.requireNonNull(id);
    Objects.requireNonNull(sessionId);
    requestId = requestId == null ? Optional.empty() : requestId;
    Objects.requireNonNull(status);
    Objects.requireNonNull(startedAt);
  }
}

package goose.server.session;

import goose.server.http.Doc;
import goose.session.Turn;
import java.time.Instant;

/** The turn running in a session when it was read. */
@Doc("A running turn")
public record RunningTurnView(
    @Doc("The turn's id") String id,
    @Doc("Sequence number of the turn's first event: follow the events after first_seq - 1")
        long firstSeq,
    Instant startedAt) {

  static RunningTurnView of(Turn turn) {
    return new RunningTurnView(turn.id(), turn.firstSeq(), turn.startedAt());
  }
}

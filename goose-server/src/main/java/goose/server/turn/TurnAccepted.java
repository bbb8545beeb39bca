package goose.server.turn;

import goose.server.http.Doc;

/** The answer to a turn started by a client that did not ask for an event stream. */
@Doc("A started turn; follow it with GET /sessions/{id}/events?after={first_seq - 1}")
public record TurnAccepted(
    String sessionId,
    String turnId,
    @Doc("Sequence number of the turn's first event") long firstSeq,
    @Doc("True when request_id matched an earlier turn, which was not run again")
        boolean reattached,
    @Doc("Where to follow the turn's events") String eventsUrl) {}

package goose.server.session;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import goose.approval.ApprovalMode;
import goose.server.http.Doc;
import goose.session.Session;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /sessions/{id}}: the session with its whole conversation, and where its event log
 * stood, so a client can show the conversation and then follow what happens next without a gap or a
 * repeat (the web UI does).
 */
public record SessionDetail(
    @JsonUnwrapped SessionFields session,
    @Doc("The whole conversation, oldest first") List<MessageView> messages,
    @Doc(
            "Sequence number of the session's last event, read before the messages: a client that"
                + " follows GET /sessions/{id}/events after it misses nothing of what comes next")
        long lastEventSeq,
    @Doc(
            "The turn running now, if any: its events from first_seq on show what the messages"
                + " do not hold yet (the reply being streamed)")
        Optional<RunningTurnView> runningTurn,
    @Doc(
            "Why its last failed turns failed (at most the last "
                + TURN_ERRORS
                + "), oldest first: their turn_error events, which the messages do not hold")
        List<TurnErrorView> turnErrors) {

  /** How many turn errors a session's detail carries at most (the newest ones). */
  static final int TURN_ERRORS = 100;

  static SessionDetail of(
      Session s,
      ApprovalMode defaultMode,
      List<MessageView> messages,
      long lastEventSeq,
      Optional<RunningTurnView> runningTurn,
      List<TurnErrorView> turnErrors) {
    return new SessionDetail(
        SessionFields.of(s, defaultMode), messages, lastEventSeq, runningTurn, turnErrors);
  }
}

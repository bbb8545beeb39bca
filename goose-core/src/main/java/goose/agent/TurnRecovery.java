package goose.agent;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.event.EventLog;
import goose.event.TurnEvent;
import goose.ids.Ids;
import goose.session.SessionStore;
import goose.session.Turn;
import goose.session.TurnStatus;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the turns a crash left running so that their sessions are consistent and usable again: every
 * tool request without a response gets an "interrupted" error response, the event log gets an
 * {@code error} and a final {@code message_complete}, and the turn is marked interrupted.
 */
public final class TurnRecovery {
  private static final Logger log = LoggerFactory.getLogger(TurnRecovery.class);
  static final String INTERRUPTED_MESSAGE = "the server stopped while this turn was running";

  private final SessionStore store;
  private final EventLog events;

  public TurnRecovery(SessionStore store, EventLog events) {
    this.store = store;
    this.events = events;
  }

  /**
   * Recovers the given turns (at start-up: all turns still marked running; on a shared store: a turn
   * this instance took over after its lease lapsed); returns how many. The turn is marked interrupted
   * after the repair and before the final {@code message_complete}, as a turn that ends normally is, so
   * a new turn cannot interleave with the repair and a client that sees the end can start the next one.
   */
  public int recover(List<Turn> turns) {
    for (Turn turn : turns) {
      log.warn("turn {} of session {} was interrupted by a server stop; closing it", turn.id(), turn.sessionId());
      answerDanglingToolRequests(turn.sessionId());
      events.append(turn.sessionId(), turn.id(), new TurnEvent.Error("interrupted", INTERRUPTED_MESSAGE));
      store.finishTurn(turn.sessionId(), turn.id(), TurnStatus.INTERRUPTED);
      events.append(turn.sessionId(), turn.id(), new TurnEvent.MessageComplete("error", TokenUsage.ZERO));
    }
    return turns.size();
  }

  private void answerDanglingToolRequests(String sessionId) {
    List<Message> conversation = store.conversation(sessionId);
    Set<String> answered = new HashSet<>();
    for (Message m : conversation) {
      for (Content c : m.content()) if (c instanceof Content.ToolResponse r) answered.add(r.id());
    }
    List<Content> missing = conversation.stream()
        .flatMap(m -> m.toolRequests().stream())
        .filter(r -> !answered.contains(r.id()))
        .<Content>map(r -> Content.ToolResponse.error(r.id(), ToolExecutor.INTERRUPTED))
        .toList();
    if (!missing.isEmpty()) {
      store.appendMessage(sessionId, new Message(Ids.newId(), Role.USER, Instant.now(), missing, true, true, true, TokenUsage.ZERO));
    }
  }
}

package goose.agent;

import goose.approval.ApprovalStore;
import goose.approval.PendingApproval;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deals with the turns a previous process left running. A turn that was waiting for a tool approval
 * (its session has an open approval) is handed back to be resumed: the approval stays answerable
 * and the turn continues once it is answered. Every other turn is closed so that its session is
 * consistent and usable again: each tool request without a response gets an "interrupted" error
 * response, the event log gets an {@code error} and a final {@code message_complete}, and the turn
 * is marked interrupted.
 */
public final class TurnRecovery {
  private static final Logger log = LoggerFactory.getLogger(TurnRecovery.class);
  static final String INTERRUPTED_MESSAGE =
      "the process running this turn stopped (a server stop or restart, or a goose acp that ended)";

  private final SessionStore store;
  private final EventLog events;
  private final Optional<ApprovalStore> approvals;

  public TurnRecovery(SessionStore store, EventLog events, ApprovalStore approvals) {
    this(store, events, Optional.of(approvals));
  }

  /** Recovery without tool approvals: every turn left running is closed as interrupted. */
  public TurnRecovery(SessionStore store, EventLog events) {
    this(store, events, Optional.empty());
  }

  private TurnRecovery(SessionStore store, EventLog events, Optional<ApprovalStore> approvals) {
    this.store = store;
    this.events = events;
    this.approvals = approvals;
  }

  /**
   * A turn that was waiting for approvals of {@code owner} (for the calls {@code awaitedCallIds}),
   * to resume with {@link TurnService#resume}.
   */
  public record SuspendedTurn(Turn turn, String owner, Set<String> awaitedCallIds) {
    public SuspendedTurn {
      awaitedCallIds = Set.copyOf(awaitedCallIds);
    }
  }

  /**
   * Recovers the given turns (at start-up: all turns still marked running): closes the ones that
   * cannot resume, returns the ones that can. A turn resumes when one of its unanswered calls has
   * an open approval, or an approval that is not for exactly that call (another hash: it is asked
   * again); a call whose approval was decided for it before the stop may have run halfway and is
   * never run again.
   */
  public List<SuspendedTurn> recover(List<Turn> turns) {
    List<SuspendedTurn> suspended = new ArrayList<>();
    for (Turn turn : turns) {
      List<PendingApproval> waiting = approvals.map(a -> awaited(a, turn)).orElse(List.of());
      if (!waiting.isEmpty()) {
        log.info(
            "turn {} of session {} waits for a tool approval; resuming it",
            turn.id(),
            turn.sessionId());
        Set<String> calls =
            waiting.stream().map(PendingApproval::callId).collect(Collectors.toSet());
        suspended.add(new SuspendedTurn(turn, waiting.getFirst().user(), calls));
      } else {
        interrupt(turn);
      }
    }
    return suspended;
  }

  /** The approvals of the turn's unanswered calls that are open or not for exactly their call. */
  private List<PendingApproval> awaited(ApprovalStore store, Turn turn) {
    List<PendingApproval> out = new ArrayList<>();
    for (Content.ToolRequest call :
        Conversations.danglingToolRequests(this.store.conversation(turn.sessionId()))) {
      store
          .get(turn.sessionId(), call.id())
          .filter(a -> a.isOpen() || !a.isFor(call.name(), call.arguments()))
          .ifPresent(out::add);
    }
    out.sort(java.util.Comparator.comparing((PendingApproval a) -> !a.isOpen()));
    return out;
  }

  /**
   * Closes one turn left running (by a stop, or by an instance whose lease lapsed) as interrupted.
   * The turn is marked interrupted with its final {@code message_complete}, in one transaction, as
   * a turn that ends normally is, so a new turn cannot interleave with the repair and a client that
   * sees the end can start the next one.
   */
  public void interrupt(Turn turn) {
    log.warn(
        "turn {} of session {} was interrupted by a stop of its process; closing it",
        turn.id(),
        turn.sessionId());
    answerDanglingToolRequests(turn.sessionId());
    events.append(
        turn.sessionId(), turn.id(), new TurnEvent.Error("interrupted", INTERRUPTED_MESSAGE));
    events.append(
        turn.sessionId(),
        () ->
            store.finishTurn(
                turn.sessionId(),
                turn.id(),
                TurnStatus.INTERRUPTED,
                new TurnEvent.MessageComplete("error", TokenUsage.ZERO),
                Optional.empty()));
  }

  private void answerDanglingToolRequests(String sessionId) {
    List<Content> missing =
        Conversations.danglingToolRequests(store.conversation(sessionId)).stream()
            .<Content>map(r -> Content.ToolResponse.error(r.id(), ToolExecutor.INTERRUPTED))
            .toList();
    if (!missing.isEmpty()) {
      store.appendMessage(
          sessionId,
          new Message(
              Ids.newId(), Role.USER, Instant.now(), missing, true, true, true, TokenUsage.ZERO));
    }
    approvals.ifPresent(
        a ->
            a.openIn(sessionId)
                .forEach(
                    p ->
                        a.decide(
                            sessionId,
                            p.callId(),
                            p.callHash(),
                            goose.approval.ApprovalDecision.CANCELLED)));
  }
}

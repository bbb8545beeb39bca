package goose.agent;

import goose.approval.ApprovalDecision;
import goose.approval.ApprovalMode;
import goose.approval.Approvals;
import goose.approval.PendingApproval;
import goose.approval.ToolDecision;
import goose.conversation.Content;
import goose.event.TurnEvent;
import goose.tool.ToolSpec;
import java.util.List;
import java.util.Optional;

/**
 * The approval policy of one turn, from the session's mode (else {@code GOOSE_MODE}): {@code auto}
 * runs everything, {@code chat} offers no tools, {@code smart_approve} runs read-only tools, and
 * otherwise a tool this user always allows runs, and any other call is asked for: stored as a
 * pending approval, announced with {@code tool_approval_required}, and waited for until answered,
 * expired or cancelled.
 */
public final class ApprovalGate implements ToolGate {
  private final ApprovalMode mode;
  private final String sessionId;
  private final String user;
  private final Approvals approvals;
  private final TurnEmitter emitter;
  private final TurnControl control;

  ApprovalGate(
      ApprovalMode mode,
      String sessionId,
      String user,
      Approvals approvals,
      TurnEmitter emitter,
      TurnControl control) {
    this.mode = mode;
    this.sessionId = sessionId;
    this.user = user;
    this.approvals = approvals;
    this.emitter = emitter;
    this.control = control;
  }

  /** Gates for every turn, each built from its session's mode. */
  public static ToolGates factory(Approvals approvals) {
    return (session, user, emitter, control) ->
        new ApprovalGate(
            session.mode().orElse(approvals.settings().defaultMode()),
            session.id(),
            user,
            approvals,
            emitter,
            control);
  }

  @Override
  public List<ToolSpec> offer(List<ToolSpec> tools) {
    return mode == ApprovalMode.CHAT ? List.of() : tools;
  }

  @Override
  public ToolDecision check(Content.ToolRequest request, Optional<ToolSpec> spec) {
    switch (mode) {
      case AUTO -> {
        return ToolDecision.AUTO;
      }
      case CHAT -> {
        return ToolDecision.DENIED; // no tool was offered; a model that calls one anyway is refused
      }
      case SMART_APPROVE -> {
        if (spec.map(ToolSpec::readOnly).orElse(false)) return ToolDecision.AUTO;
      }
      case APPROVE -> {}
    }
    if (approvals.store().isAlwaysAllowed(user, request.name())) return ToolDecision.ALWAYS_ALLOWED;
    return whileAwaiting(
        () ->
            ask(
                approvals.open(
                    sessionId, request.id(), user, request.name(), request.arguments())));
  }

  /**
   * A call of a resumed turn whose approval was asked before the stop. Its stored approval counts
   * only if it is for exactly this call (same user, same hash of tool and arguments): then an
   * answer that arrived between the restart and now is simply taken, or awaited. Anything else (an
   * approval of another call under this id, of an older version without a hash) is asked again.
   */
  @Override
  public ToolDecision resume(Content.ToolRequest request) {
    return whileAwaiting(
        () -> {
          Optional<PendingApproval> stored = approvals.store().get(sessionId, request.id());
          if (stored.isEmpty()) return ToolDecision.CANCELLED;
          PendingApproval found = stored.get();
          if (!found.user().equals(user) || !found.isFor(request.name(), request.arguments())) {
            return ask(
                approvals.reopen(
                    sessionId, request.id(), user, request.name(), request.arguments()));
          }
          return found.decision().map(d -> taken(found, d)).orElseGet(() -> await(found));
        });
  }

  /** Announces a stored approval on the turn's stream and waits for its answer. */
  private ToolDecision ask(PendingApproval pending) {
    emitter.emit(
        new TurnEvent.ToolApprovalRequired(
            pending.callId(), pending.tool(), pending.arguments(), pending.callHash()));
    return await(pending);
  }

  /**
   * Runs {@code asking} as a wait the turn's control knows of, so that a server stop suspends the
   * turn instead of cancelling it; when the stop came first (and cancelled the turn), nothing is
   * asked or stored.
   */
  private ToolDecision whileAwaiting(java.util.function.Supplier<ToolDecision> asking) {
    if (!control.beginAwaiting()) throw new TurnSuspendedException();
    try {
      return asking.get();
    } finally {
      control.endAwaiting();
    }
  }

  /**
   * Waits for the approval's decision. A turn whose lease lapses meanwhile (its instance frozen or
   * cut off longer than the lease, and another instance took the turn over) stops waiting and
   * throws {@link LeaseLostException}: the approval is the new owner's now, to answer and to run,
   * and this turn neither closes it nor runs its call.
   */
  private ToolDecision await(PendingApproval pending) {
    TurnFence fence = control.fence();
    try {
      Optional<ApprovalDecision> decision =
          approvals.await(pending, () -> control.isStopping() || !fence.holds());
      if (decision.isEmpty()) {
        fence.check();
        throw new TurnSuspendedException();
      }
      return taken(pending, decision.get());
    } catch (InterruptedException e) {
      fence.check(); // the heartbeat cancels a turn that lost its lease: not ours to close
      if (control.isStopping()) throw new TurnSuspendedException();
      approvals.cancel(pending);
      Thread.currentThread().interrupt();
      return ToolDecision.CANCELLED;
    }
  }

  /**
   * The decision of the approval, as this turn takes it: only while the turn still holds its lease
   * (the poll that found the decision may have come back from a freeze longer than the lease); one
   * that runs the call is claimed in the store first ({@link Approvals#claim}), fenced by the
   * turn's lease there, so that the call runs at most once, also when the instance that took the
   * turn over runs it too. A claim that fails stops the turn ({@link LeaseLostException}).
   */
  private ToolDecision taken(PendingApproval approval, ApprovalDecision decision) {
    TurnFence fence = control.fence();
    fence.check();
    ToolDecision taken = decision.toolDecision();
    if (!taken.runs()) return taken;
    if (!approvals.claim(approval, fence.instanceId(), fence.leasedTurnId())) {
      if (fence.leasedTurnId().isPresent()) throw fence.lost(); // the turn is another's now
      return ToolDecision.CANCELLED; // claimed already by an earlier run: never twice
    }
    return taken;
  }
}

package goose.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Asks and answers tool approvals. The stored approval is the truth (it survives reconnects and
 * restarts, and its decision is taken once, atomically); a waiter in this process is woken at once
 * when the answer arrives here, and re-reads the store every few seconds in case it was answered
 * elsewhere (another instance on the same database).
 */
public final class Approvals {
  /** How often a waiter looks at its stop condition. */
  private static final Duration SLICE = Duration.ofMillis(200);

  /** How often a waiter re-reads its approval from the store. */
  private static final Duration STORE_RECHECK = Duration.ofSeconds(2);

  private final ApprovalStore store;
  private final ApprovalSettings settings;
  private final Clock clock;
  private final Map<String, CompletableFuture<ApprovalDecision>> waiters =
      new ConcurrentHashMap<>();

  public Approvals(ApprovalStore store, ApprovalSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  public Approvals(ApprovalStore store, ApprovalSettings settings) {
    this(store, settings, Clock.systemUTC());
  }

  public ApprovalSettings settings() {
    return settings;
  }

  public ApprovalStore store() {
    return store;
  }

  /** Stores a new open approval that expires after the configured timeout. */
  public PendingApproval open(
      String sessionId, String callId, String user, String tool, ObjectNode arguments) {
    PendingApproval approval = pending(sessionId, callId, user, tool, arguments);
    store.open(approval);
    return approval;
  }

  /**
   * Replaces whatever approval {@code callId} has with a new open one for this call (a resumed turn
   * whose stored approval is not for exactly this call).
   */
  public PendingApproval reopen(
      String sessionId, String callId, String user, String tool, ObjectNode arguments) {
    PendingApproval approval = pending(sessionId, callId, user, tool, arguments);
    store.reopen(approval);
    return approval;
  }

  private PendingApproval pending(
      String sessionId, String callId, String user, String tool, ObjectNode arguments) {
    Instant now = clock.instant();
    PendingApproval approval =
        new PendingApproval(
            sessionId,
            callId,
            CallHash.of(tool, arguments),
            user,
            tool,
            arguments,
            now,
            now.plus(settings.timeout()),
            Optional.empty());
    return approval;
  }

  /** What became of an answer. */
  public enum Answer {
    ANSWERED,
    /** No such approval for this user in this session. */
    UNKNOWN,
    ALREADY_DECIDED,
    /** The answer named a call hash other than the approval's: it was shown another call. */
    OTHER_CALL
  }

  /** The user's answer, without binding it to a call hash (see the other overload). */
  public Answer answer(String user, String sessionId, String callId, ApprovalDecision decision) {
    return answer(user, sessionId, callId, decision, Optional.empty());
  }

  /**
   * The user's answer; {@code always_allow} is also remembered for the tool. When {@code shownHash}
   * is given (the call_hash of the tool_approval_required the user answered), the approval must be
   * for that very call.
   */
  public Answer answer(
      String user,
      String sessionId,
      String callId,
      ApprovalDecision decision,
      Optional<String> shownHash) {
    Optional<PendingApproval> found =
        store.get(sessionId, callId).filter(a -> a.user().equals(user));
    if (found.isEmpty()) return Answer.UNKNOWN;
    if (shownHash.isPresent() && !shownHash.get().equals(found.get().callHash()))
      return Answer.OTHER_CALL;
    if (!store.decide(sessionId, callId, found.get().callHash(), decision))
      return Answer.ALREADY_DECIDED;
    if (decision == ApprovalDecision.ALWAYS_ALLOW) store.alwaysAllow(user, found.get().tool());
    CompletableFuture<ApprovalDecision> waiter = waiters.get(key(sessionId, callId));
    if (waiter != null) waiter.complete(decision);
    return Answer.ANSWERED;
  }

  /**
   * Blocks until the approval is decided, or expires (then it is closed as {@code expired}). Empty
   * when {@code stop} turned true first: the approval stays open for whoever resumes the turn.
   */
  public Optional<ApprovalDecision> await(PendingApproval approval, BooleanSupplier stop)
      throws InterruptedException {
    String key = key(approval.sessionId(), approval.callId());
    CompletableFuture<ApprovalDecision> waiter =
        waiters.computeIfAbsent(key, k -> new CompletableFuture<>());
    try {
      Instant nextCheck = Instant.MIN;
      while (true) {
        Instant now = clock.instant();
        if (!now.isBefore(nextCheck)) {
          Optional<ApprovalDecision> stored =
              store
                  .get(approval.sessionId(), approval.callId())
                  .filter(a -> a.callHash().equals(approval.callHash()))
                  .flatMap(PendingApproval::decision);
          if (stored.isPresent()) return stored;
          nextCheck = now.plus(STORE_RECHECK);
        }
        if (stop.getAsBoolean()) return Optional.empty();
        Duration left = Duration.between(now, approval.expiresAt());
        if (left.isNegative() || left.isZero()) {
          if (store.decide(
              approval.sessionId(),
              approval.callId(),
              approval.callHash(),
              ApprovalDecision.EXPIRED)) {
            return Optional.of(ApprovalDecision.EXPIRED);
          }
          nextCheck = Instant.MIN; // decided just now by someone else: read it
          continue;
        }
        Duration slice = left.compareTo(SLICE) < 0 ? left : SLICE;
        try {
          return Optional.of(waiter.get(slice.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          // look again
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      waiters.remove(key, waiter);
    }
  }

  /**
   * Claims {@code approval}'s allowing decision for the one run of its call ({@link
   * ApprovalStore#claim}): true when the call may run here, false when it must not (claimed
   * already, or its turn is no longer {@code instanceId}'s under the lease of {@code
   * leasedTurnId}).
   */
  public boolean claim(PendingApproval approval, String instanceId, Optional<String> leasedTurnId) {
    return store.claim(
        approval.sessionId(), approval.callId(), approval.callHash(), instanceId, leasedTurnId);
  }

  /** Closes an approval whose turn was cancelled, unless it was answered in the meantime. */
  public void cancel(PendingApproval approval) {
    store.decide(
        approval.sessionId(), approval.callId(), approval.callHash(), ApprovalDecision.CANCELLED);
  }

  private static String key(String sessionId, String callId) {
    return sessionId + '\n' + callId;
  }
}

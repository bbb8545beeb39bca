package goose.agent;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.event.ClusterSignals;
import goose.event.EventLog;
import goose.event.TurnEvent;
import goose.ids.Ids;
import goose.provider.Provider;
import goose.session.Session;
import goose.session.SessionNotFoundException;
import goose.session.SessionStore;
import goose.session.Turn;
import goose.session.TurnConflictException;
import goose.session.TurnStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, tracks and cancels the turns of all sessions. The path of a turn: check the session, take
 * its turn slot (one running turn per session, enforced by the store), persist the user message,
 * then run the {@link Agent} on its own virtual thread; every event goes through the {@link
 * EventLog}, which a streaming response merely follows from the turn's first sequence number.
 */
public final class TurnService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TurnService.class);

  private final SessionStore store;
  private final EventLog events;
  private final Agent agent;
  private final ProviderSource providers;
  private final ToolGates gates;
  private final TurnLeases leases;
  private final ClusterSignals signals;
  private final Map<String, RunningTurn> running = new ConcurrentHashMap<>();

  /**
   * Turns running here per owner, kept beside {@link #running} so that a start checks its owner's
   * limit in O(1) instead of walking every running turn (at 5,000 running turns that walk was a
   * visible share of a turn's start). An owner leaves the map when its count drops to zero.
   */
  private final Map<String, Integer> runningPerOwner = new ConcurrentHashMap<>();

  /**
   * Turns between their start and their last event: a turn leaves {@link #running} before it writes
   * {@code message_complete}, so {@link #shutdown} waits on this count too.
   */
  private final AtomicInteger writing = new AtomicInteger();

  private final TurnLimits limits;

  /** One permit per turn running here, {@link TurnLimits#total()} in all. */
  private final java.util.concurrent.Semaphore slots;

  private final Optional<SessionTitles> titles;

  private final TurnOwners owners;

  /** Stops the turns of removed owners between the loop's own check points. */
  private final OwnerSweep ownerSweep;

  /**
   * Starts of one owner are serialized (check the limit, then take the slot); striped so the set
   * stays bounded. Locks, not monitors: the store write under one would pin a virtual thread's
   * carrier on Java 21.
   */
  private final ReentrantLock[] ownerLocks = new ReentrantLock[64];

  /**
   * A service alone on its store (SQLite): tools run without asking, no per-user limit, cancels act
   * here only.
   */
  public TurnService(
      SessionStore store, EventLog events, Agent agent, Supplier<Provider> providers) {
    this(
        store,
        events,
        agent,
        ProviderSource.of(providers),
        ToolGates.ALLOW_ALL,
        TurnLimits.NONE,
        TurnLeases.none(),
        ClusterSignals.IN_PROCESS);
  }

  /** A service alone on its store whose turns follow {@code gates} (approval modes). */
  public TurnService(
      SessionStore store,
      EventLog events,
      Agent agent,
      Supplier<Provider> providers,
      ToolGates gates) {
    this(
        store,
        events,
        agent,
        ProviderSource.of(providers),
        gates,
        TurnLimits.NONE,
        TurnLeases.none(),
        ClusterSignals.IN_PROCESS);
  }

  /**
   * @param providers gives each session's provider, or throws when none is configured
   * @param gates builds each turn's tool policy (approval mode)
   * @param limits turns one owner, and all owners together, may have running at once here; more
   *     throw {@link TurnLimitException}
   * @param leases the leases of this instance's turns on a shared store (give the agent {@code
   *     leases.fence(store)})
   * @param signals how a cancel reaches the instance running a turn
   * @param titles titles sessions created without a name after an exchange; empty: no titles
   * @param owners whether a turn's owner still exists: a turn of a removed user stops before its
   *     next model call or tool call, and within {@link #OWNER_SWEEP} when it waits meanwhile
   */
  public TurnService(
      SessionStore store,
      EventLog events,
      Agent agent,
      ProviderSource providers,
      ToolGates gates,
      TurnLimits limits,
      TurnLeases leases,
      ClusterSignals signals,
      Optional<SessionTitles> titles,
      TurnOwners owners) {
    this.store = store;
    this.events = events;
    this.agent = agent;
    this.providers = providers;
    this.gates = gates;
    this.limits = limits;
    this.slots = new java.util.concurrent.Semaphore(limits.total());
    for (int i = 0; i < ownerLocks.length; i++) ownerLocks[i] = new ReentrantLock();
    this.leases = leases;
    this.signals = signals;
    this.titles = titles;
    this.owners = owners;
    this.ownerSweep = OwnerSweep.start(owners, running::values);
  }

  /**
   * {@link #TurnService(SessionStore, EventLog, Agent, ProviderSource, ToolGates, TurnLimits,
   * TurnLeases, ClusterSignals, Optional, TurnOwners)} whose owners always exist.
   */
  public TurnService(
      SessionStore store,
      EventLog events,
      Agent agent,
      ProviderSource providers,
      ToolGates gates,
      TurnLimits limits,
      TurnLeases leases,
      ClusterSignals signals,
      Optional<SessionTitles> titles) {
    this(store, events, agent, providers, gates, limits, leases, signals, titles, TurnOwners.ANY);
  }

  /**
   * {@link #TurnService(SessionStore, EventLog, Agent, ProviderSource, ToolGates, TurnLimits,
   * TurnLeases, ClusterSignals, Optional)} without titles.
   */
  public TurnService(
      SessionStore store,
      EventLog events,
      Agent agent,
      ProviderSource providers,
      ToolGates gates,
      TurnLimits limits,
      TurnLeases leases,
      ClusterSignals signals) {
    this(store, events, agent, providers, gates, limits, leases, signals, Optional.empty());
  }

  /**
   * How often the turns running here are checked for owners removed meanwhile (one store read per
   * owner with a running turn), besides the check before each model call and tool call.
   */
  public static final Duration OWNER_SWEEP = OwnerSweep.INTERVAL;

  /**
   * A turn the caller can follow from {@code firstSeq}; {@code reattached} when the request id was
   * seen.
   */
  public record StartedTurn(String sessionId, String turnId, long firstSeq, boolean reattached) {}

  /**
   * Starts a turn, or re-attaches to the turn of the same {@code requestId}. Throws {@link
   * SessionNotFoundException}, {@link TurnConflictException}, or whatever the provider supplier
   * throws when no provider is configured — all before anything is stored.
   */
  public StartedTurn start(
      String owner, String sessionId, List<Content> content, Optional<String> requestId) {
    Session session =
        store.get(owner, sessionId).orElseThrow(() -> new SessionNotFoundException(sessionId));
    return start(owner, session, content, requestId);
  }

  /**
   * {@link #start(String, String, List, Optional)} of a session the caller has just read for this
   * {@code owner} (a route that answered 404 by it already): one store read less per turn. A
   * session deleted since is still refused ({@link SessionNotFoundException}) when the turn is
   * written.
   */
  public StartedTurn start(
      String owner, Session session, List<Content> content, Optional<String> requestId) {
    if (!session.owner().equals(owner)) throw new SessionNotFoundException(session.id());
    String sessionId = session.id();
    Optional<String> requestHash = requestId.map(id -> RequestHash.of(content));
    if (requestId.isPresent()) {
      Optional<Turn> seen = store.turnByRequestId(sessionId, requestId.get());
      if (seen.isPresent()) return reattached(seen.get(), requestId.get(), requestHash.get());
    }
    Provider provider = providers.forSession(session);
    String turnId = Ids.newId();
    long firstSeq;
    RunningTurn turn = new RunningTurn(turnId, owner, control(owner));
    Optional<TurnLeases.Stamp> lease = leases.newLease();
    if (!slots.tryAcquire()) throw TurnLimitException.server(limits.total());
    boolean started = false;
    try {
      ReentrantLock ownerLock = ownerLocks[Math.floorMod(owner.hashCode(), ownerLocks.length)];
      ownerLock.lock();
      try {
        if (runningCount(owner) >= limits.perUser())
          throw TurnLimitException.perUser(owner, limits.perUser());
        try {
          // Its first event follows every event stored when the turn's row is written.
          firstSeq =
              store.startTurn(sessionId, turnId, requestId, requestHash, 1, lease).firstSeq();
        } catch (IllegalStateException duplicateRequest) {
          Turn seen =
              store
                  .turnByRequestId(sessionId, requestId.orElseThrow())
                  .orElseThrow(() -> duplicateRequest);
          return reattached(seen, requestId.get(), requestHash.orElseThrow());
        }
        running.put(sessionId, turn);
        countOwner(owner, +1);
        started = true;
      } finally {
        ownerLock.unlock();
      }
    } finally {
      if (!started) slots.release();
    }
    // The lease counts from when the turn's row was written, not from before its write waited (on
    // SQLite behind every queued write, seconds when thousands of turns stream).
    leases.hold(
        sessionId,
        turnId,
        turn.control(),
        lease.map(TurnLeases.Stamp::madeNanos).orElseGet(System::nanoTime));
    try {
      store.appendMessage(sessionId, Message.user(content));
    } catch (RuntimeException e) {
      ended(sessionId, turn);
      leases.release(sessionId, turn.control());
      try {
        // Nothing of it is stored: gone, so that a retry with its request id starts anew instead
        // of re-attaching to a turn that never ran and never ends.
        store.abandonTurn(sessionId, turnId);
      } catch (RuntimeException gone) { // the session was deleted meanwhile, its turn with it
        e.addSuppressed(gone);
      }
      throw e; // SessionNotFoundException then: a 404, not the clean-up's failure as a 500
    }
    Thread.ofVirtual()
        .name("turn-" + turnId)
        .start(LogContext.carry(() -> run(session, owner, provider, turn, agent::run)));
    return new StartedTurn(sessionId, turnId, firstSeq, false);
  }

  /**
   * The turn a request id already names, when it was started by the same message; {@link
   * RequestIdReusedException} when by another (a turn stored before request hashes re-attaches).
   */
  private StartedTurn reattached(Turn seen, String requestId, String requestHash) {
    Optional<String> stored = store.requestHash(seen.sessionId(), requestId);
    if (stored.isPresent() && !stored.get().equals(requestHash))
      throw new RequestIdReusedException(requestId, seen.id());
    return new StartedTurn(seen.sessionId(), seen.id(), seen.firstSeq(), true);
  }

  /**
   * Resumes a turn a server stop suspended while it waited for a tool approval ({@link
   * TurnRecovery}); its events go on in the session's log. False when it cannot (session gone, no
   * provider configured): the caller then closes it as interrupted.
   */
  public boolean resume(TurnRecovery.SuspendedTurn suspended) {
    return resume(suspended, System.nanoTime());
  }

  /**
   * {@link #resume(TurnRecovery.SuspendedTurn)} of a turn whose lease this process took over at
   * {@code leaseMadeNanos} ({@link System#nanoTime()} read before the lease was written): the
   * heartbeat renews it from then on.
   */
  public boolean resume(TurnRecovery.SuspendedTurn suspended, long leaseMadeNanos) {
    Turn stored = suspended.turn();
    Optional<Session> session = store.get(suspended.owner(), stored.sessionId());
    if (session.isEmpty()) return false;
    Provider provider;
    try {
      provider = providers.forSession(session.get());
    } catch (RuntimeException e) {
      log.warn(
          "cannot resume turn {} of session {}: {}",
          stored.id(),
          stored.sessionId(),
          e.getMessage());
      return false;
    }
    RunningTurn turn = new RunningTurn(stored.id(), suspended.owner(), control(suspended.owner()));
    if (!slots.tryAcquire()) return false;
    if (running.putIfAbsent(stored.sessionId(), turn) != null) {
      slots.release();
      return false;
    }
    countOwner(suspended.owner(), +1);
    leases.hold(stored.sessionId(), stored.id(), turn.control(), leaseMadeNanos);
    Thread.ofVirtual()
        .name("turn-" + stored.id())
        .start(
            LogContext.carry(
                () ->
                    run(
                        session.get(),
                        suspended.owner(),
                        provider,
                        turn,
                        (s, owner, p, emitter, gate, control) ->
                            agent.resume(
                                s, owner, p, emitter, gate, control, suspended.awaitedCallIds()))));
    return true;
  }

  /** {@link Agent#run}, or {@link Agent#resume} of a suspended turn. */
  @FunctionalInterface
  private interface Loop {
    Agent.Outcome run(
        Session session,
        String owner,
        Provider provider,
        TurnEmitter emitter,
        ToolGate gate,
        TurnControl control);
  }

  private void run(Session session, String owner, Provider provider, RunningTurn turn, Loop loop) {
    writing.incrementAndGet();
    boolean titled;
    try {
      titled = runAndRecord(session, owner, provider, turn, loop);
    } finally {
      writing.decrementAndGet();
    }
    // After the turn's events are written: a title's session_renamed comes after message_complete.
    if (titled) titles.ifPresent(t -> t.afterExchange(session, turn.id()));
  }

  /** Runs the turn and records its end; true when it ended in a way a title may follow. */
  private boolean runAndRecord(
      Session session, String owner, Provider provider, RunningTurn turn, Loop loop) {
    long started = System.nanoTime();
    TurnEmitter toLog =
        event -> {
          leases.checkHolds(
              session.id()); // fencing: a turn taken over elsewhere writes nothing more
          events.append(session.id(), turn.id(), event);
        };
    Agent.Outcome outcome;
    try (EventWriter emitter = new EventWriter(toLog, turn.id(), turn.control()::cancel)) {
      try {
        ToolGate gate = gates.open(session, owner, emitter, turn.control());
        outcome = loop.run(session, owner, provider, emitter, gate, turn.control());
      } catch (LeaseLostException e) {
        outcome = Agent.Outcome.failed();
      } catch (RuntimeException e) {
        log.error("turn {} of session {} failed", turn.id(), session.id(), e);
        outcome = Agent.Outcome.failed();
      }
      emitter.flush();
      // Events it could not store stopped it: it failed, whatever the loop saw (a cancel).
      if (emitter.storeFailed()) outcome = outcome.asFailed();
      if (outcome.cause() == Agent.StopCause.SUSPENDED) {
        ended(session.id(), turn); // still running in the store: the next start resumes it
        return false;
      }
      if (!leases.holds(session.id())) {
        log.warn(
            "turn {} of session {} stopped without recording its end: it lost its lease",
            turn.id(),
            session.id());
        ended(session.id(), turn);
        leases.release(session.id(), turn.control());
        return false;
      }
      TurnStatus status =
          switch (outcome.cause()) {
            case END_TURN, MAX_TURNS, MAX_TOKENS -> TurnStatus.COMPLETED;
            case CANCELLED -> TurnStatus.CANCELLED;
            case ERROR -> TurnStatus.FAILED;
            case SUSPENDED -> throw new IllegalStateException("a suspended turn does not finish");
          };
      // Its slot is free once its row has ended, before a client here sees message_complete.
      AtomicBoolean freed = new AtomicBoolean();
      Runnable free =
          () -> {
            if (freed.compareAndSet(false, true)) {
              ended(session.id(), turn);
              leases.release(session.id(), turn.control());
            }
          };
      try {
        // Its end and its message_complete in one transaction: a client that sees
        // message_complete can start its next turn at once, and a turn started meanwhile never
        // begins with this one's end.
        TurnEvent.MessageComplete end =
            new TurnEvent.MessageComplete(
                outcome.cause().wire(), outcome.usage(), outcome.costUsd());
        // Fenced in the store too: an owner woken from a freeze ends no turn taken over.
        Optional<String> holder =
            leases.enabled() ? Optional.of(leases.instanceId()) : Optional.empty();
        events.append(
            session.id(),
            () -> {
              try {
                return StoreRetry.write(
                    () -> store.finishTurn(session.id(), turn.id(), status, end, holder),
                    StoreRetry.FIRST_WAIT,
                    "the end of turn " + turn.id());
              } finally {
                free.run();
              }
            });
      } finally {
        free.run();
        log.info(
            "turn {} of session {} ended: {} after {} ms ({} input, {} output tokens)",
            turn.id(),
            session.id(),
            outcome.cause().wire(),
            (System.nanoTime() - started) / 1_000_000,
            outcome.usage().inputTokens(),
            outcome.usage().outputTokens());
      }
    }
    return outcome.cause() != Agent.StopCause.ERROR && outcome.cause() != Agent.StopCause.CANCELLED;
  }

  /**
   * Cancels the running turn of this session, wherever it runs: here at once; on another instance
   * sharing the store through the store's cancel mark and a signal the owner acts on. False when
   * none runs.
   */
  public boolean cancel(String owner, String sessionId) {
    if (store.get(owner, sessionId).isEmpty()) throw new SessionNotFoundException(sessionId);
    if (cancelHere(sessionId)) return true;
    if (!leases.enabled() || !store.requestCancel(sessionId)) return false;
    signals.cancelRequested(sessionId);
    return true;
  }

  /**
   * Cancels the session's turn if it runs on this instance (a signal from another instance asks for
   * it).
   */
  public boolean cancelHere(String sessionId) {
    RunningTurn turn = running.get(sessionId);
    if (turn == null) return false;
    turn.control().cancel();
    return true;
  }

  /** Cancels one specific turn (a streaming client hung up); no effect when it already ended. */
  public void cancelTurn(String sessionId, String turnId) {
    RunningTurn turn = running.get(sessionId);
    if (turn != null && turn.id().equals(turnId)) turn.control().cancel();
  }

  /**
   * True when the turn's final {@code message_complete} has a sequence number of at most {@code
   * seq}: a client that has seen up to {@code seq} has seen the whole turn. Reads the turn's events
   * from {@code firstSeq} up to {@code seq}.
   */
  public boolean endedBy(String sessionId, String turnId, long firstSeq, long seq) {
    long after = firstSeq - 1;
    while (after < seq) {
      List<goose.event.StoredEvent> page = store.eventsAfter(sessionId, after, 500);
      if (page.isEmpty()) return false;
      for (goose.event.StoredEvent e : page) {
        if (e.seq() > seq) return false;
        if (e.turnId().equals(turnId) && e.event() instanceof TurnEvent.MessageComplete)
          return true;
        after = e.seq();
      }
    }
    return false;
  }

  /** The control of a new turn of {@code owner}, whose check points ask whether it still exists. */
  private TurnControl control(String owner) {
    return owners == TurnOwners.ANY
        ? new TurnControl()
        : new TurnControl(() -> owners.exists(owner));
  }

  /** The turn no longer runs here: its slot is free. */
  private void ended(String sessionId, RunningTurn turn) {
    if (running.remove(sessionId, turn)) {
      countOwner(turn.owner(), -1);
      slots.release();
    }
  }

  /** Adds {@code delta} to the owner's count of running turns; a count of zero is removed. */
  private void countOwner(String owner, int delta) {
    runningPerOwner.compute(
        owner,
        (k, n) -> {
          int next = (n == null ? 0 : n) + delta;
          return next <= 0 ? null : next;
        });
  }

  /**
   * The provider turns would use now, or empty while none can be built (a turn then answers why).
   * For showing which provider and model a server talks to: whatever keeps the provider from being
   * built (settings missing or invalid) means there is none to show, so every failure is empty
   * here.
   */
  public Optional<Provider> configuredProvider() {
    try {
      return Optional.of(providers.configured());
    } catch (RuntimeException notConfigured) {
      return Optional.empty();
    }
  }

  public boolean isRunning(String sessionId) {
    return running.containsKey(sessionId);
  }

  public int runningCount() {
    return running.size();
  }

  /** Turns of this owner running here now. */
  public int runningCount(String owner) {
    return runningPerOwner.getOrDefault(owner, 0);
  }

  /**
   * Stops every running turn and waits up to {@code grace} for them to record their end: turns
   * waiting for a tool approval are suspended (the next start resumes them), the others cancelled.
   */
  public void shutdown(Duration grace) {
    running.values().forEach(t -> t.control().stop());
    long deadline = System.nanoTime() + grace.toNanos();
    while ((!running.isEmpty() || writing.get() > 0) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Cancels the turns, waits for them, then stops renewing leases. */
  @Override
  public void close() {
    ownerSweep.close();
    shutdown(Duration.ofSeconds(5));
    leases.close();
  }
}

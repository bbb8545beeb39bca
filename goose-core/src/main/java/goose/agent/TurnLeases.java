package goose.agent;

import goose.session.HeldTurn;
import goose.session.LeaseGrant;
import goose.session.SessionStore;
import goose.session.Turn;
import goose.session.TurnLease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases of the turns this process runs on a store other processes use too: PostgreSQL
 * instances, or the {@code goose server} and {@code goose acp} processes on one SQLite file. A
 * heartbeat renews them every {@code lease / 4} and cancels turns a cancel was asked for elsewhere;
 * a second thread, as often, takes over running turns whose lease lapsed because their process died
 * (or that a process gave up when it stopped, see {@link #close}), handing each to a {@link
 * TakeOver}: a turn waiting for a tool approval resumes here, the others are closed as interrupted.
 * Fencing: a turn may write only while this process is sure it still holds the lease — until the
 * start of the last successful renewal plus the lease, by this process's monotonic clock, which is
 * never later than the lease the others see. After that every write of the turn throws {@link
 * LeaseLostException}, and so does every tool call it would run ({@link TurnFence}, on the turn's
 * {@link TurnControl}).
 *
 * <p>The leases are written and compared by the store's clock ({@link SessionStore#leaseClock}:
 * PostgreSQL's, one for every instance), never by this host's wall clock: an instance whose clock
 * ran ahead took over, and interrupted, the healthy turns of the others. This host's clock is only
 * compared with the store's at each heartbeat, to warn when they differ by more than a quarter
 * lease (other things, such as the times shown on sessions, still come from the hosts' clocks).
 *
 * <p>{@link #none()} is for a store only one process uses (tests, embedding): no leases, every
 * write allowed; turns left running are the caller's to recover.
 */
public final class TurnLeases implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TurnLeases.class);

  private final Optional<SessionStore> store;
  private final String instanceId;
  private final Duration lease;
  private final Optional<InstanceIdentity> identity;
  private final Clock clock;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private volatile @Nullable TakeOver takeOver;
  private volatile @Nullable Thread heartbeat;
  private volatile @Nullable Thread recovery;

  /**
   * A permit wakes the heartbeat before its period is up (a turn started with little lease left).
   */
  private final Semaphore renewSoon = new Semaphore(0);

  private volatile boolean closed;

  /** This host's clock minus the store's, as last measured; empty until measured. */
  private volatile Optional<Duration> clockSkew = Optional.empty();

  private volatile boolean skewReported;

  private TurnLeases(
      Optional<SessionStore> store,
      String instanceId,
      Duration lease,
      Optional<InstanceIdentity> identity,
      Clock clock) {
    this.store = store;
    this.instanceId = instanceId;
    this.lease = lease;
    this.identity = identity;
    this.clock = clock;
  }

  /** No leases: a single process owns the store. */
  public static TurnLeases none() {
    return new TurnLeases(
        Optional.empty(), "local", Duration.ZERO, Optional.empty(), Clock.systemUTC());
  }

  /** Leases of {@code lease} on a shared store; call {@link #start} to run the heartbeat. */
  public static TurnLeases shared(SessionStore store, String instanceId, Duration lease) {
    return shared(store, instanceId, lease, Optional.empty(), Clock.systemUTC());
  }

  /**
   * {@link #shared(SessionStore, String, Duration)} on this wall clock (tests: a skewed one), which
   * only the heartbeat's skew warning reads.
   */
  static TurnLeases shared(SessionStore store, String instanceId, Duration lease, Clock clock) {
    return shared(store, instanceId, lease, Optional.empty(), clock);
  }

  /**
   * Leases of {@code lease} for the registered instance {@code identity}: the heartbeat also
   * refreshes its registration, and {@link #close} removes it.
   */
  public static TurnLeases shared(SessionStore store, InstanceIdentity identity, Duration lease) {
    return shared(store, identity.id(), lease, Optional.of(identity), Clock.systemUTC());
  }

  private static TurnLeases shared(
      SessionStore store,
      String instanceId,
      Duration lease,
      Optional<InstanceIdentity> identity,
      Clock clock) {
    if (lease.toMillis() < 1000)
      throw new IllegalArgumentException("a turn lease must be at least 1 s");
    return new TurnLeases(Optional.of(store), instanceId, lease, identity, clock);
  }

  public String instanceId() {
    return instanceId;
  }

  public boolean enabled() {
    return store.isPresent();
  }

  /** What to do with a turn this process took over from one that stopped renewing its lease. */
  @FunctionalInterface
  public interface TakeOver {
    /**
     * {@code turn}'s lease is now this process's, made at {@code leaseMadeNanos} ({@link
     * System#nanoTime()}): resume it ({@link TurnService#resume(TurnRecovery.SuspendedTurn, long)})
     * or close it ({@link TurnRecovery#interrupt}).
     */
    void tookOver(Turn turn, long leaseMadeNanos);
  }

  /** Starts the heartbeat; expired turns of dead instances are closed with {@code recovery}. */
  public void start(TurnRecovery recovery) {
    start((turn, made) -> recovery.interrupt(turn));
  }

  /** Starts the heartbeat; expired turns of dead processes go to {@code takeOver}. */
  public void start(TakeOver takeOver) {
    if (store.isEmpty()) return;
    this.takeOver = takeOver;
    SessionStore s = store.get();
    // Renewing and taking over run on threads of their own: closing many turns of a dead process
    // takes many writes, and renewals waiting behind them would let this process's leases lapse.
    heartbeat = every("goose-turn-leases", "turn lease heartbeat", this::renew, renewSoon);
    recovery =
        every(
            "goose-turn-recovery",
            "taking over expired turns",
            () -> recoverExpired(s),
            new Semaphore(0));
  }

  /**
   * A daemon thread that runs {@code task} every quarter lease until {@link #close}, or sooner when
   * {@code wake} gets a permit.
   */
  private Thread every(String name, String what, Runnable task, Semaphore wake) {
    Duration every = lease.dividedBy(4);
    return Thread.ofPlatform()
        .daemon()
        .name(name)
        .start(
            () -> {
              while (!closed) {
                long began = System.nanoTime();
                try {
                  task.run();
                } catch (RuntimeException e) {
                  log.warn("{} failed: {}", what, e.getMessage());
                }
                // Every quarter lease from start to start: a slow round (a busy store) is not
                // followed by a whole period of waiting.
                long left = every.toNanos() - (System.nanoTime() - began);
                try {
                  if (left > 0) wake.tryAcquire(left, TimeUnit.NANOSECONDS);
                  wake.drainPermits();
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  /**
   * The lease a starting turn records, made when the store writes the turn; empty without leases.
   */
  Optional<Stamp> newLease() {
    return store.map(s -> new Stamp());
  }

  /**
   * A lease made when {@link SessionStore#startTurn} writes it, which remembers when: {@link
   * #madeNanos} is read before the lease's instant, so the local view never outlasts the lease
   * others see. Until the write made it, the time of this object's creation.
   */
  final class Stamp implements LeaseGrant {
    private volatile long madeNanos = System.nanoTime();

    @Override
    public TurnLease grant() {
      madeNanos = System.nanoTime();
      return new TurnLease(instanceId, lease);
    }

    /** {@link System#nanoTime()} read before the lease was made; for {@link #hold}. */
    long madeNanos() {
      return madeNanos;
    }
  }

  /**
   * This instance runs the turn, whose lease from {@link #newLease} is recorded; {@code
   * leaseMadeNanos} is {@link System#nanoTime()} read before that lease was made, so the local view
   * never outlasts it.
   */
  void hold(String sessionId, String turnId, TurnControl control, long leaseMadeNanos) {
    if (store.isEmpty()) return;
    long now = System.nanoTime();
    held.put(sessionId, new Held(turnId, control, now, leaseMadeNanos + lease.toNanos()));
    // What the turn checks before a tool call runs: the store's writes are fenced by
    // FencedSessionStore, a tool's side effects by this.
    control.fencedBy(new Fence(sessionId, turnId));
    // Half the lease gone already (a resumed turn's, stamped before its takeover's write): renew it
    // now, not in a while.
    if (leaseMadeNanos + lease.toNanos() / 2 < now) renewSoon.release();
  }

  /**
   * The run of a turn with this {@code control} no longer holds its lease here. Only that run's
   * hold goes: a takeover of the same turn by this process's own recovery (a later run, its own
   * control) keeps its hold, so its lease is still renewed and its tool calls still run.
   */
  void release(String sessionId, TurnControl control) {
    held.computeIfPresent(sessionId, (k, h) -> h.control == control ? null : h);
  }

  /**
   * True while the turn may still write: it is not a turn of this instance, or its lease surely
   * holds.
   */
  boolean holds(String sessionId) {
    Held h = held.get(sessionId);
    return h == null || (!h.lost && System.nanoTime() < h.validUntilNanos);
  }

  /**
   * Throws {@link LeaseLostException} when the session's turn here may no longer write. Once it
   * has, the turn stays lost even if a late renewal comes through: it stops, and the heartbeat of
   * whichever process next sees its lease lapse closes it (a turn that went on after dropping
   * events could finish without its {@code message_complete}, and its streams would wait for it).
   */
  void checkHolds(String sessionId) {
    Held h = held.get(sessionId);
    if (h != null && !holds(sessionId)) {
      h.lost = true;
      throw new LeaseLostException(sessionId, h.turnId);
    }
  }

  /** The store as a turn of this instance may use it: its writes are fenced by the lease. */
  public SessionStore fence(SessionStore sessions) {
    return store.isEmpty() ? sessions : new FencedSessionStore(sessions, this);
  }

  /**
   * One heartbeat: renew, notice lost and cancel-requested turns, close turns of dead instances.
   */
  void beat() {
    renew();
    recoverExpired(store.orElseThrow());
  }

  /** Renews this process's registration and leases; notices lost and cancel-requested turns. */
  private void renew() {
    SessionStore s = store.orElseThrow();
    identity.ifPresent(InstanceIdentity::beat);
    long began = System.nanoTime();
    List<String> mine = held.values().stream().map(h -> h.turnId).toList();
    List<HeldTurn> renewed = s.renewLeases(instanceId, mine, lease);
    Set<String> renewedIds = renewed.stream().map(HeldTurn::turnId).collect(Collectors.toSet());
    for (HeldTurn t : renewed) {
      Held h = held.get(t.sessionId());
      if (h == null || !h.turnId.equals(t.turnId()) || h.lost)
        continue; // once lost, never valid again
      h.validUntilNanos = began + lease.toNanos();
      if (t.cancelRequested()) h.control.cancel();
    }
    for (Map.Entry<String, Held> e : held.entrySet()) {
      Held h = e.getValue();
      if (h.heldSinceNanos < began && !renewedIds.contains(h.turnId) && !h.lost) {
        log.warn(
            "turn {} of session {} lost its lease (taken over by another instance); stopping it",
            h.turnId,
            e.getKey());
        h.lost = true;
        h.control.cancel();
      }
    }
    if (s.shared()) checkClock(s);
  }

  /**
   * Compares this host's clock with the store's, which the leases go by, and warns once when they
   * differ by more than a quarter lease: the leases are safe, but the times this instance writes on
   * sessions and events are off.
   */
  private void checkClock(SessionStore s) {
    long before = System.nanoTime();
    Instant local = clock.instant();
    Instant store = s.leaseClock();
    // the store read its clock some time during the round trip: take the middle
    Duration skew = Duration.between(store, local).plusNanos((System.nanoTime() - before) / 2);
    clockSkew = Optional.of(skew);
    boolean large = skew.abs().compareTo(lease.dividedBy(4)) > 0;
    if (large && !skewReported) {
      log.warn(
          "this host's clock is {} ms {} the database's; the turn leases go by the database's clock,"
              + " but the times this instance records are off (keep the hosts' clocks in step, e.g."
              + " with NTP)",
          skew.abs().toMillis(),
          skew.isNegative() ? "behind" : "ahead of");
    } else if (!large && skewReported) {
      log.info("this host's clock is in step with the database's again");
    }
    skewReported = large;
  }

  /** This host's clock minus the store's, as the last heartbeat measured it (for tests). */
  Optional<Duration> clockSkew() {
    return clockSkew;
  }

  private void recoverExpired(SessionStore s) {
    TakeOver handler = takeOver;
    if (handler == null) return;
    for (Turn turn : s.expiredTurns()) {
      Held own = held.get(turn.sessionId());
      if (own != null && own.turnId.equals(turn.id()) && !own.lost) {
        // Our own turn outlived its lease (the heartbeat stalled): it is fenced, and closed like
        // any other.
        own.lost = true;
        own.control.cancel();
      }
      long made = System.nanoTime();
      if (s.takeOver(turn.id(), new TurnLease(instanceId, lease))) {
        log.warn(
            "turn {} of session {}: its process stopped renewing the lease; taking it over here",
            turn.id(),
            turn.sessionId());
        try {
          handler.tookOver(turn, made);
        } catch (RuntimeException e) {
          log.warn("could not close turn {} taken over: {}", turn.id(), e.getMessage());
        }
      }
    }
  }

  /**
   * Stops the heartbeat and gives up the leases of the turns still held (those a stop suspended
   * while they waited for a tool approval, and any that did not end in time): they are fenced here
   * at once and expired in the store, so the next process to look — another one on the store, or
   * this one restarted — takes them over without waiting for the lease to lapse.
   */
  @Override
  public void close() {
    closed = true;
    stop(heartbeat);
    stop(recovery);
    if (store.isPresent() && !held.isEmpty()) {
      held.values().forEach(h -> h.lost = true);
      try {
        store
            .get()
            .renewLeases(
                instanceId, held.values().stream().map(h -> h.turnId).toList(), lease.negated());
      } catch (RuntimeException e) {
        log.warn("could not give up the leases of {} turns: {}", held.size(), e.getMessage());
      }
    }
    identity.ifPresent(InstanceIdentity::close);
  }

  private static void stop(@Nullable Thread t) {
    if (t == null) return;
    t.interrupt();
    try {
      t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The fence of one turn held here: it holds while the session's lease here is this turn's and
   * {@link #holds(String)}; a turn whose session this process holds for a later turn has lost it.
   */
  private final class Fence implements TurnFence {
    private final String sessionId;
    private final String turnId;

    Fence(String sessionId, String turnId) {
      this.sessionId = sessionId;
      this.turnId = turnId;
    }

    private @Nullable Held own() {
      Held h = held.get(sessionId);
      return h != null && h.turnId.equals(turnId) ? h : null;
    }

    @Override
    public boolean holds() {
      Held h = own();
      return h != null && !h.lost && System.nanoTime() < h.validUntilNanos;
    }

    @Override
    public void check() {
      if (!holds()) throw lost();
    }

    @Override
    public LeaseLostException lost() {
      Held h = own();
      if (h != null) h.lost = true; // once lost, never valid again (as checkHolds)
      return new LeaseLostException(sessionId, turnId);
    }

    @Override
    public String instanceId() {
      return instanceId;
    }

    @Override
    public Optional<String> leasedTurnId() {
      return Optional.of(turnId);
    }
  }

  private static final class Held {
    final String turnId;
    final TurnControl control;
    final long heldSinceNanos;
    volatile long validUntilNanos;
    volatile boolean lost;

    Held(String turnId, TurnControl control, long heldSinceNanos, long validUntilNanos) {
      this.turnId = turnId;
      this.control = control;
      this.heldSinceNanos = heldSinceNanos;
      this.validUntilNanos = validUntilNanos;
    }
  }
}

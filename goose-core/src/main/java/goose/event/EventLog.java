package goose.event;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The per-session event log: every event is stored first (with its sequence number), then handed to
 * live subscribers. A subscriber reads what is stored after its starting point, then follows live
 * events, so replay, reconnect and late joiners all use one mechanism and see every event once, in
 * order.
 *
 * <p>Appends to one session are serialised so that live subscribers receive events in sequence
 * order even when concurrent tool calls emit at the same time. With a store shared by several
 * instances, the {@link ClusterSignals} tell the others about each append; their subscribers then
 * read the new events from the store ({@link #wake}), so a client on any instance follows a turn
 * running on any other.
 */
public final class EventLog {
  private static final int REPLAY_BATCH = 500;

  private final EventStore store;
  private final ClusterSignals signals;
  private final Map<String, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
  // ReentrantLock, not synchronized: the store write under it blocks, and a virtual thread waiting
  // for a monitor on Java 21 pins its carrier thread.
  private final Map<String, ReentrantLock> appendLocks = new ConcurrentHashMap<>();

  public EventLog(EventStore store) {
    this(store, ClusterSignals.IN_PROCESS);
  }

  public EventLog(EventStore store, ClusterSignals signals) {
    this.store = store;
    this.signals = signals;
  }

  public StoredEvent append(String sessionId, String turnId, TurnEvent event) {
    return append(sessionId, () -> Optional.of(store.appendEvent(sessionId, turnId, event)))
        .orElseThrow();
  }

  /**
   * Appends with {@code write}, a store write that stores at most one event of this session along
   * with whatever else it writes in its transaction (a turn's end: {@code
   * SessionStore#finishTurn}), then hands the event to the subscribers as {@link #append} does.
   */
  public Optional<StoredEvent> append(String sessionId, Supplier<Optional<StoredEvent>> write) {
    ReentrantLock lock = appendLocks.computeIfAbsent(sessionId, k -> new ReentrantLock());
    Optional<StoredEvent> stored;
    lock.lock();
    try {
      stored = write.get();
      Set<Subscription> subs = subscribers.get(sessionId);
      if (subs != null && stored.isPresent()) {
        for (Subscription s : subs) s.offer(stored.get());
      }
    } finally {
      lock.unlock();
    }
    stored.ifPresent(e -> signals.eventAppended(sessionId, e.seq()));
    return stored;
  }

  /**
   * Another instance appended to this session: its subscribers here read the store for new events.
   */
  public void wake(String sessionId) {
    Set<Subscription> subs = subscribers.get(sessionId);
    if (subs != null) subs.forEach(Subscription::wake);
  }

  /** Signals may have been missed: every subscriber looks at the store again. */
  public void wakeAll() {
    subscribers.values().forEach(subs -> subs.forEach(Subscription::wake));
  }

  public long lastSeq(String sessionId) {
    return store.lastEventSeq(sessionId);
  }

  /**
   * Follows the session's events with {@code seq > afterSeq}: stored ones first, then live ones.
   * Close the subscription when done.
   */
  public Subscription subscribe(String sessionId, long afterSeq) {
    Subscription sub = new Subscription(sessionId, afterSeq);
    subscribers.computeIfAbsent(sessionId, k -> new CopyOnWriteArraySet<>()).add(sub);
    return sub;
  }

  /** Forgets a deleted session's subscribers (they see the end of the stream) and lock. */
  public void forget(String sessionId) {
    Set<Subscription> subs = subscribers.remove(sessionId);
    if (subs != null) subs.forEach(Subscription::close);
    appendLocks.remove(sessionId);
  }

  /**
   * Ends every subscription and stops the signals (server shutdown): followers see the end of their
   * stream.
   */
  public void closeAll() {
    subscribers.values().forEach(subs -> subs.forEach(Subscription::close));
    signals.close();
  }

  /**
   * One reader of a session's log. Not thread-safe for several readers; {@link #close} from
   * anywhere.
   */
  public final class Subscription implements AutoCloseable {
    private final String sessionId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<StoredEvent> live = new ArrayDeque<>();
    private final ArrayDeque<StoredEvent> replay = new ArrayDeque<>();
    private long delivered;
    private boolean replayDone;

    /**
     * Set by {@link #wake}: the store may hold events no live offer brought. Guarded by {@code
     * lock}.
     */
    private boolean stale;

    private volatile boolean closed;

    private Subscription(String sessionId, long afterSeq) {
      this.sessionId = sessionId;
      this.delivered = afterSeq;
    }

    void wake() {
      lock.lock();
      try {
        stale = true;
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void offer(StoredEvent event) {
      lock.lock();
      try {
        live.add(event);
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /**
     * The next event, waiting up to {@code timeout} for one; empty on timeout, or when closed and
     * nothing appended before the close is left to deliver (at shutdown, the {@code
     * message_complete} of a turn cancelled just before still reaches its follower). Stored events
     * come before live ones and none is delivered twice.
     */
    public Optional<StoredEvent> next(Duration timeout) throws InterruptedException {
      Optional<StoredEvent> fromStore = nextStored();
      if (fromStore.isPresent()) return fromStore;
      long deadline = System.nanoTime() + timeout.toNanos();
      lock.lock();
      try {
        while (true) {
          StoredEvent e;
          while ((e = live.poll()) != null) {
            if (e.seq() <= delivered) continue;
            if (e.seq() > delivered + 1) {
              // A gap (events appended before we subscribed, or by another instance): read them
              // from the store.
              live.addFirst(e);
              replayDone = false;
              lock.unlock();
              try {
                Optional<StoredEvent> gap = nextStored();
                if (gap.isPresent()) return gap;
              } finally {
                lock.lock();
              }
              e = live.poll();
              if (e == null || e.seq() <= delivered) continue;
            }
            delivered = e.seq();
            return Optional.of(e);
          }
          if (closed) return Optional.empty();
          if (stale) {
            stale = false;
            replayDone = false;
            lock.unlock();
            try {
              Optional<StoredEvent> fromOthers = nextStored();
              if (fromOthers.isPresent()) return fromOthers;
            } finally {
              lock.lock();
            }
            continue;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) return Optional.empty();
          arrived.awaitNanos(left);
        }
      } finally {
        lock.unlock();
      }
    }

    private Optional<StoredEvent> nextStored() {
      while (true) {
        StoredEvent e = replay.poll();
        if (e != null) {
          if (e.seq() <= delivered) continue;
          delivered = e.seq();
          return Optional.of(e);
        }
        if (replayDone) return Optional.empty();
        List<StoredEvent> batch = store.eventsAfter(sessionId, delivered, REPLAY_BATCH);
        replay.addAll(batch);
        if (batch.size() < REPLAY_BATCH) replayDone = true;
        if (batch.isEmpty()) return Optional.empty();
      }
    }

    /**
     * Whether {@link #next} would return an event at once (a follower can then delay its flush).
     */
    public boolean hasBuffered() {
      if (!replay.isEmpty()) return true;
      lock.lock();
      try {
        return !live.isEmpty();
      } finally {
        lock.unlock();
      }
    }

    public long lastDelivered() {
      return delivered;
    }

    public boolean isClosed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
      Set<Subscription> subs = subscribers.get(sessionId);
      if (subs != null) subs.remove(this);
      lock.lock();
      try {
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}

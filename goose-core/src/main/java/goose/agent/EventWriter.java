package goose.agent;

import goose.event.TurnEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emitter of one turn: events go into a queue that a writer thread appends to the event log, so
 * the agent never waits for the database while it reads the provider's stream. When text arrives
 * faster than it can be stored, adjacent chunks of the same message are merged into one event: a
 * burst of 3,000 tiny deltas becomes a handful of stored, relayed events with the same text, while
 * a lone chunk is written at once (no timer, no added delay). Every event is still stored before
 * anyone sees it, in order.
 *
 * <p>An event that ends a wait ({@link #writesInline}: a tool's result, the turn's end) is appended
 * on the emitting thread when nothing is queued or being written: handing it to the writer thread
 * would add that thread's wake-up (on a loaded machine, a wait for a core) to the time until the
 * client sees it, and the emitter has nothing else to do first. So is a text chunk that comes after
 * a pause ({@link #PAUSE}: a model streaming at its own pace, chunks milliseconds apart): the
 * emitter would only go back to waiting for the provider's next bytes. Chunks that follow each
 * other closer than that (a burst already in the socket's buffer) are queued, so the writer can
 * merge them. When the writer is busy an event is queued behind what is there, as every other event
 * is, so the order stays the order of {@code emit}.
 */
final class EventWriter implements TurnEmitter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

  /** Merged chunks stop growing here, so one event never carries an unbounded text. */
  static final int MAX_MERGED_CHARS = 16 * 1024;

  /**
   * A text chunk emitted at least this long after the previous emit returned is stored on the
   * emitting thread (when the writer is idle); closer ones are queued for merging.
   */
  static final Duration PAUSE = Duration.ofMillis(1);

  private final TurnEmitter sink;
  private final String turnId;
  private final Runnable onStoreFailure;
  private final Duration firstRetry;
  private volatile boolean storeFailed;
  private final ReentrantLock lock = new ReentrantLock();
  // Two conditions, so that the end of an inline write wakes the writer thread only when it left
  // something queued for it, and flush() waiters only when there are some.
  private final Condition work = lock.newCondition(); // the writer thread's
  private final Condition idle = lock.newCondition(); // flush()'s
  private final ArrayDeque<TurnEvent> queue = new ArrayDeque<>();
  private boolean writing; // by the writer thread or an emitting thread, never both
  private boolean closed;
  private final long pauseNanos;
  private long lastEmitEnd; // System.nanoTime() when the last emit returned; guarded by lock
  private final Thread writer;

  /**
   * @param sink stores and relays one event (the event log, behind the turn's lease check)
   */
  EventWriter(TurnEmitter sink, String turnId, Runnable onStoreFailure) {
    this(sink, turnId, PAUSE, onStoreFailure, StoreRetry.FIRST_WAIT);
  }

  /** Tests: a turn whose store never fails for good. */
  EventWriter(TurnEmitter sink, String turnId, Duration pause) {
    this(sink, turnId, pause, () -> {}, StoreRetry.FIRST_WAIT);
  }

  /**
   * @param pause how long after the previous emit a text chunk is stored on the emitting thread
   * @param onStoreFailure called once when an event could not be stored in {@link
   *     StoreRetry#ATTEMPTS} attempts: the turn stops (its later events would be lost without a gap
   *     a client can see)
   * @param firstRetry the wait before the second attempt to store an event
   */
  EventWriter(
      TurnEmitter sink,
      String turnId,
      Duration pause,
      Runnable onStoreFailure,
      Duration firstRetry) {
    this.sink = sink;
    this.turnId = turnId;
    this.onStoreFailure = onStoreFailure;
    this.firstRetry = firstRetry;
    this.pauseNanos = pause.toNanos();
    this.lastEmitEnd = System.nanoTime() - pauseNanos;
    this.writer = Thread.ofVirtual().name("events-" + turnId).start(this::writeLoop);
  }

  @Override
  public void emit(TurnEvent event) {
    long now = System.nanoTime();
    lock.lock();
    try {
      if (closed) {
        // A late notification from an extension after the turn ended: nobody follows this turn any
        // more.
        log.debug("dropping {} emitted after turn {} ended", event.eventName(), turnId);
        return;
      }
      boolean inline =
          writesInline(event)
              || (event instanceof TurnEvent.MessageChunk && now - lastEmitEnd >= pauseNanos);
      if (!inline || writing || !queue.isEmpty()) {
        queue.add(event);
        work.signal();
        lastEmitEnd = now;
        return;
      }
      writing = true;
    } finally {
      lock.unlock();
    }
    write(List.of(event), true);
  }

  /**
   * Whether the event is appended on the emitting thread when the writer is idle: the events that
   * end a wait of the client's (a tool's result, the turn's end), after which the emitter has
   * nothing more urgent to do. Not a tool call (its thread sends the request to the tool first
   * while the writer stores the event); text chunks only after a pause (see {@link #PAUSE}).
   */
  static boolean writesInline(TurnEvent event) {
    return event instanceof TurnEvent.ToolResult || event instanceof TurnEvent.MessageComplete;
  }

  /** Waits until every event emitted so far is stored and relayed. */
  void flush() {
    lock.lock();
    try {
      while (!queue.isEmpty() || writing) idle.awaitUninterruptibly();
    } finally {
      lock.unlock();
    }
  }

  /** Flushes, then stops the writer. */
  @Override
  public void close() {
    flush();
    lock.lock();
    try {
      closed = true;
      work.signal();
    } finally {
      lock.unlock();
    }
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeLoop() {
    while (true) {
      List<TurnEvent> batch;
      lock.lock();
      try {
        // An inline write in progress goes first; after it, its thread signals what it left here.
        while ((queue.isEmpty() && !closed) || writing) work.awaitUninterruptibly();
        if (queue.isEmpty()) return;
        batch = merge(queue);
        queue.clear();
        writing = true;
      } finally {
        lock.unlock();
      }
      write(batch, false);
    }
  }

  /**
   * Stores and relays {@code batch}; the caller set {@code writing}, which this clears.
   *
   * @param inline written by an emitting thread, whose emit returns after this
   */
  private void write(List<TurnEvent> batch, boolean inline) {
    try {
      for (TurnEvent e : batch) store(e);
    } catch (LeaseLostException e) {
      log.warn("turn {}: {}; its remaining events are dropped", turnId, e.getMessage());
      dropAll();
    } catch (RuntimeException e) {
      log.error(
          "could not store an event of turn {} in {} attempts; the turn stops",
          turnId,
          StoreRetry.ATTEMPTS,
          e);
      storeFailed = true;
      dropAll();
      onStoreFailure.run();
    } finally {
      lock.lock();
      try {
        writing = false;
        if (inline) lastEmitEnd = System.nanoTime();
        // Events queued during an inline write are the writer thread's to write.
        if (!queue.isEmpty() || closed) work.signal();
        idle.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Stores one event, trying again after a store error ({@link StoreRetry}). */
  private void store(TurnEvent event) {
    StoreRetry.write(
        () -> {
          sink.emit(event);
          return true;
        },
        firstRetry,
        "an event of turn " + turnId);
  }

  /** Whether an event could not be stored and the turn was stopped for it. */
  boolean storeFailed() {
    return storeFailed;
  }

  private void dropAll() {
    lock.lock();
    try {
      queue.clear();
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /** The queued events with runs of chunks of the same message and kind joined. */
  static List<TurnEvent> merge(Iterable<TurnEvent> queued) {
    List<TurnEvent> out = new ArrayList<>();
    for (TurnEvent e : queued) {
      if (e instanceof TurnEvent.MessageChunk next
          && !out.isEmpty()
          && out.getLast() instanceof TurnEvent.MessageChunk last
          && last.type().equals(next.type())
          && last.messageId().equals(next.messageId())
          && last.text().length() + next.text().length() <= MAX_MERGED_CHARS) {
        out.set(
            out.size() - 1,
            new TurnEvent.MessageChunk(last.type(), last.text() + next.text(), last.messageId()));
      } else {
        out.add(e);
      }
    }
    return out;
  }
}

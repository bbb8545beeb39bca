package goose.agent;

import goose.event.TurnEvent;
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
 */
final class EventWriter implements TurnEmitter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

  /** Merged chunks stop growing here, so one event never carries an unbounded text. */
  static final int MAX_MERGED_CHARS = 16 * 1024;

  private final TurnEmitter sink;
  private final String turnId;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<TurnEvent> queue = new ArrayDeque<>();
  private boolean writing;
  private boolean closed;
  private final Thread writer;

  /**
   * @param sink stores and relays one event (the event log, behind the turn's lease check)
   */
  EventWriter(TurnEmitter sink, String turnId) {
    this.sink = sink;
    this.turnId = turnId;
    this.writer = Thread.ofVirtual().name("events-" + turnId).start(this::writeLoop);
  }

  @Override
  public void emit(TurnEvent event) {
    lock.lock();
    try {
      if (closed) {
        // A late notification from an extension after the turn ended: nobody follows this turn any
        // more.
        log.debug("dropping {} emitted after turn {} ended", event.eventName(), turnId);
        return;
      }
      queue.add(event);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until every event emitted so far is stored and relayed. */
  void flush() {
    lock.lock();
    try {
      while (!queue.isEmpty() || writing) changed.awaitUninterruptibly();
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
      changed.signalAll();
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
        while (queue.isEmpty() && !closed) changed.awaitUninterruptibly();
        if (queue.isEmpty()) return;
        batch = merge(queue);
        queue.clear();
        writing = true;
      } finally {
        lock.unlock();
      }
      try {
        for (TurnEvent e : batch) sink.emit(e);
      } catch (LeaseLostException e) {
        log.warn("turn {}: {}; its remaining events are dropped", turnId, e.getMessage());
        dropAll();
      } catch (RuntimeException e) {
        log.error("could not store events of turn {}", turnId, e);
      } finally {
        lock.lock();
        try {
          writing = false;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
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

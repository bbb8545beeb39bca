package goose.acp.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One outbound stream of a Streamable HTTP connection (the connection's own, or one session's):
 * messages queue here until a {@code GET /acp} takes them, so nothing sent before a stream
 * subscribes, or while it reconnects, is lost. One receiver at a time ({@link #acquire}).
 */
public final class Mailbox {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final LongConsumer bytesQueued;
  private @Nullable Lease receiver;
  private boolean closed;

  /** The receiver holds a message it has not finished writing (it has not asked for the next). */
  private boolean receiverWriting;

  /** {@code bytesQueued} is told how many bytes come in (positive) and go out (negative). */
  Mailbox(LongConsumer bytesQueued) {
    this.bytesQueued = bytesQueued;
  }

  void push(String json) {
    lock.lock();
    try {
      if (closed) return;
      queue.add(json);
      bytesQueued.accept(json.length());
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The stream's receiver, or empty when it already has one (a second GET is refused with 409). */
  public Optional<Lease> acquire() {
    lock.lock();
    try {
      if (closed || receiver != null) return Optional.empty();
      receiver = new Lease();
      return Optional.of(receiver);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits (up to {@code timeout}) until the receiver has written everything queued so far; returns
   * at once when there is no receiver (the messages wait for the next one) or the stream ended. A
   * message that must reach the client after these (on another stream) is sent after this.
   */
  void awaitWritten(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long left = timeout.toNanos();
      while ((!queue.isEmpty() || receiverWriting) && receiver != null && !closed && left > 0)
        left = arrived.awaitNanos(left);
    } finally {
      lock.unlock();
    }
  }

  boolean hasReceiver() {
    lock.lock();
    try {
      return receiver != null;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the stream: the receiver sees the end, queued messages are dropped. */
  void close() {
    lock.lock();
    try {
      closed = true;
      long dropped = queue.stream().mapToLong(String::length).sum();
      queue.clear();
      bytesQueued.accept(-dropped);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The one reader of a mailbox, for as long as its GET lasts. */
  public final class Lease implements AutoCloseable {
    private Lease() {}

    /**
     * The next message, waiting up to {@code timeout}; empty on timeout, or when the stream ended
     * ({@link #ended}).
     */
    public Optional<String> next(Duration timeout) throws InterruptedException {
      lock.lock();
      try {
        receiverWriting = false; // the message handed out before, if any, is written
        arrived.signalAll();
        long left = timeout.toNanos();
        while (queue.isEmpty() && !closed && receiver == this && left > 0)
          left = arrived.awaitNanos(left);
        if (closed || receiver != this || queue.isEmpty()) return Optional.empty();
        String json = queue.poll();
        bytesQueued.accept(-json.length());
        receiverWriting = true;
        return Optional.of(json);
      } finally {
        lock.unlock();
      }
    }

    /** Put back a message the client did not get (its connection broke while it was written). */
    public void unread(String json) {
      lock.lock();
      try {
        if (closed) return;
        queue.addFirst(json);
        bytesQueued.accept(json.length());
      } finally {
        lock.unlock();
      }
    }

    public boolean ended() {
      lock.lock();
      try {
        return closed || receiver != this;
      } finally {
        lock.unlock();
      }
    }

    /** The GET is over: the messages still queued wait for the next receiver. */
    @Override
    public void close() {
      lock.lock();
      try {
        if (receiver == this) {
          receiver = null;
          receiverWriting = false;
        }
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}

package goose.agent;

import goose.provider.ProviderStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Cancels a running turn from another thread: marks it cancelled, closes the open provider stream (the
 * provider sees its connection closed at once) and, when the turn's thread is in a blocking wait that
 * may be interrupted (opening a provider stream, waiting for tool calls), interrupts it. The thread is
 * never interrupted outside such a wait, and a pending interrupt is cleared when the wait ends: an
 * interrupt that hit database I/O would close the connection's socket (PostgreSQL) and lose the write.
 */
public final class TurnControl {
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean cancelled;
  private volatile Thread thread;
  private volatile ProviderStream stream;
  private boolean waiting; // guarded by lock

  /** Binds the thread that runs the turn; call from that thread before the loop starts. */
  void bindCurrentThread() {
    thread = Thread.currentThread();
  }

  void streamOpened(ProviderStream s) {
    stream = s;
    if (cancelled) s.close();
  }

  void streamClosed() {
    stream = null;
  }

  /** The turn's thread starts a wait that {@link #cancel} may interrupt; interrupts it at once when already cancelled. */
  void enterWait() {
    lock.lock();
    try {
      waiting = true;
      if (cancelled) Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** The wait is over: no interrupt reaches the thread from now on, and a pending one is cleared. */
  void exitWait() {
    lock.lock();
    try {
      waiting = false;
      Thread.interrupted();
    } finally {
      lock.unlock();
    }
  }

  public boolean isCancelled() {
    return cancelled;
  }

  public void cancel() {
    cancelled = true;
    ProviderStream s = stream;
    if (s != null) s.close();
    lock.lock();
    try {
      Thread t = thread;
      if (waiting && t != null) t.interrupt();
    } finally {
      lock.unlock();
    }
  }
}

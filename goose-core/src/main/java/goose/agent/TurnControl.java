package goose.agent;

import goose.provider.ProviderStream;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Cancels a running turn from another thread: marks it cancelled, closes the open provider stream
 * (the provider sees its connection closed at once) and, when the turn's thread is in a blocking
 * wait that may be interrupted (opening a provider stream, waiting for tool calls), interrupts it.
 * The thread is never interrupted outside such a wait, and a pending interrupt is cleared when the
 * wait ends: an interrupt that hit database I/O would close the connection's socket (PostgreSQL)
 * and lose the write.
 *
 * <p>A server stop is different from a cancel: a turn that waits for a tool approval is not
 * cancelled but suspended (left running in the store, its approval open) so that the next start
 * resumes it; any other turn is cancelled.
 *
 * <p>A turn whose owner no longer exists (a user removed by {@code goose users remove}, also from
 * another process or instance) is cancelled too, at its next check point ({@link #ownerActive()}:
 * before each model call and each tool call) or by {@link #ownerRemoved()}: the turn then ends with
 * a {@code user_removed} error instead of as cancelled.
 */
public final class TurnControl {
  private final ReentrantLock lock = new ReentrantLock();
  private final BooleanSupplier ownerExists;
  private volatile boolean cancelled;
  private volatile boolean ownerGone;
  private volatile boolean stopping;
  private int awaiting; // guarded by this
  private volatile @Nullable Thread thread;
  private volatile @Nullable ProviderStream stream;
  private boolean waiting; // guarded by lock
  private volatile TurnFence fence = TurnFence.NONE;

  /** The lease the turn runs under ({@link TurnLeases#hold}); {@link TurnFence#NONE} without. */
  TurnFence fence() {
    return fence;
  }

  void fencedBy(TurnFence f) {
    fence = f;
  }

  /** A turn whose owner is never checked (one user: auth none or secret, tests). */
  public TurnControl() {
    this(() -> true);
  }

  /**
   * @param ownerExists whether the turn's owner still exists; asked at each check point (a store
   *     read), so it must be cheap enough for one call per model call and per tool call
   */
  public TurnControl(BooleanSupplier ownerExists) {
    this.ownerExists = ownerExists;
  }

  /**
   * The check point before each model call and each tool call: true while the turn's owner exists;
   * once it does not, the turn is cancelled (as by {@link #ownerRemoved()}) and this stays false.
   */
  boolean ownerActive() {
    if (ownerGone) return false;
    if (ownerExists.getAsBoolean()) return true;
    ownerRemoved();
    return false;
  }

  /**
   * The turn's owner was removed: the turn is cancelled at once (its provider stream closed, a wait
   * interrupted) and ends with a {@code user_removed} error.
   */
  public void ownerRemoved() {
    ownerGone = true;
    cancel();
  }

  /** True once the turn was stopped because its owner no longer exists. */
  public boolean isOwnerRemoved() {
    return ownerGone;
  }

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

  /**
   * The turn's thread starts a wait that {@link #cancel} may interrupt; interrupts it at once when
   * already cancelled.
   */
  void enterWait() {
    lock.lock();
    try {
      waiting = true;
      if (cancelled) Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The wait is over: no interrupt reaches the thread from now on, and a pending one is cleared.
   */
  void exitWait() {
    lock.lock();
    try {
      waiting = false;
      Thread.interrupted();
    } finally {
      lock.unlock();
    }
  }

  /** True once cancelled, or once the server stops (a suspended turn never gets here). */
  public boolean isCancelled() {
    return cancelled || stopping;
  }

  public boolean isStopping() {
    return stopping;
  }

  /**
   * The server stops: a turn waiting for an approval is left to suspend itself; any other is
   * cancelled. A call that starts waiting afterwards suspends at once; a turn whose wait ended with
   * an answer stops at its next step ({@link #isCancelled()} holds while stopping).
   */
  public synchronized void stop() {
    stopping = true;
    if (awaiting == 0) cancel();
  }

  /**
   * A call of this turn starts waiting for its approval; false when the server is stopping (suspend
   * instead).
   */
  synchronized boolean beginAwaiting() {
    if (stopping) return false;
    awaiting++;
    return true;
  }

  synchronized void endAwaiting() {
    awaiting--;
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

package goose.agent;

import goose.provider.ProviderStream;

/**
 * Cancels a running turn from another thread: marks it cancelled, closes the open provider stream (the
 * provider sees its connection closed at once) and interrupts the turn's thread (running tool calls are
 * interrupted in turn).
 *
 * <p>A server stop is different from a cancel: a turn that waits for a tool approval is not cancelled
 * but suspended (left running in the store, its approval open) so that the next start resumes it; any
 * other turn is cancelled.
 */
public final class TurnControl {
  private volatile boolean cancelled;
  private volatile boolean stopping;
  private int awaiting;
  private volatile Thread thread;
  private volatile ProviderStream stream;

  /** Binds the thread that runs the turn; call from that thread before the loop starts. */
  void bindCurrentThread() {
    thread = Thread.currentThread();
    if (cancelled) thread.interrupt();
  }

  void streamOpened(ProviderStream s) {
    stream = s;
    if (cancelled) s.close();
  }

  void streamClosed() {
    stream = null;
  }

  /** True once cancelled, or once the server stops (a suspended turn never gets here). */
  public boolean isCancelled() {
    return cancelled || stopping;
  }

  public boolean isStopping() {
    return stopping;
  }

  /**
   * The server stops: a turn waiting for an approval is left to suspend itself; any other is cancelled.
   * A call that starts waiting afterwards suspends at once; a turn whose wait ended with an answer
   * stops at its next step ({@link #isCancelled()} holds while stopping).
   */
  public synchronized void stop() {
    stopping = true;
    if (awaiting == 0) cancel();
  }

  /** A call of this turn starts waiting for its approval; false when the server is stopping (suspend instead). */
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
    Thread t = thread;
    if (t != null) t.interrupt();
  }
}

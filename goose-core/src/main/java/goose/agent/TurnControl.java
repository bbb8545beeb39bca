package goose.agent;

import goose.provider.ProviderStream;

/**
 * Cancels a running turn from another thread: marks it cancelled, closes the open provider stream (the
 * provider sees its connection closed at once) and interrupts the turn's thread (running tool calls are
 * interrupted in turn).
 */
public final class TurnControl {
  private volatile boolean cancelled;
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

  public boolean isCancelled() {
    return cancelled;
  }

  public void cancel() {
    cancelled = true;
    ProviderStream s = stream;
    if (s != null) s.close();
    Thread t = thread;
    if (t != null) t.interrupt();
  }
}

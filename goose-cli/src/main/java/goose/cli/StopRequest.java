package goose.cli;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The graceful stop of a server that SIGTERM or SIGINT asks for, with its handlers installed before
 * the server starts. A server prints where it listens before its start returns; a signal in between
 * used to find no handler yet and ended the JVM with 143 instead of a clean stop with 0. Now such a
 * signal stops the server as soon as it is started.
 */
final class StopRequest {
  private volatile Optional<Runnable> close = Optional.empty();
  private volatile boolean requested;
  private final AtomicBoolean stopped = new AtomicBoolean();

  StopRequest() {}

  /** Installs the handlers of SIGTERM and SIGINT; call it before starting the server. */
  static StopRequest onTerminate() {
    StopRequest request = new StopRequest();
    TerminationSignals.onTerminate(request::stop);
    return request;
  }

  /**
   * The server is started and {@code close} stops it; a stop asked for before now happens at once,
   * in the calling thread.
   */
  void started(Runnable close) {
    this.close = Optional.of(close);
    if (requested) stopOnce();
  }

  /** What a signal does: stops the server now, or as soon as it is started. */
  void stop() {
    requested = true;
    if (close.isPresent()) stopOnce();
  }

  // Each side sets its own flag before it reads the other's, so at least one of them sees both;
  // the stop itself runs once.
  private void stopOnce() {
    close.filter(stop -> stopped.compareAndSet(false, true)).ifPresent(Runnable::run);
  }
}

package goose.event;

/**
 * How the instances sharing one store tell each other, at once, that something happened to a
 * session: an event was appended (followers elsewhere read it from the store) or a cancel was asked
 * for (the instance running the turn stops it). A signal carries ids only; the store stays the one
 * source of truth, so a lost signal delays a follower but never loses an event. With a
 * single-process store {@link #IN_PROCESS} does nothing: every subscriber lives in this process and
 * is fed directly.
 */
public interface ClusterSignals extends AutoCloseable {

  /** Receives the signals of the other instances (never this instance's own). */
  interface Listener {
    void eventAppended(String sessionId, long seq);

    void cancelRequested(String sessionId);

    /** The signal channel was down and is back: anything may have been missed, so look again. */
    void resync();
  }

  ClusterSignals IN_PROCESS =
      new ClusterSignals() {
        @Override
        public void eventAppended(String sessionId, long seq) {}

        @Override
        public void cancelRequested(String sessionId) {}

        @Override
        public void listen(Listener listener) {}

        @Override
        public void close() {}
      };

  void eventAppended(String sessionId, long seq);

  void cancelRequested(String sessionId);

  /** Starts delivering other instances' signals to {@code listener}; call once. */
  void listen(Listener listener);

  @Override
  void close();
}

package goose.agent;

import goose.conversation.TokenUsage;
import goose.event.TurnEvent;
import java.util.List;

/**
 * Watches turns from outside the agent loop, for metrics and traces: the loop reports where a turn,
 * a provider call and an event happen, and knows nothing of what is measured. Callbacks come from
 * the turn's thread and from its tool-call threads, so implementations must be thread-safe, quick,
 * and never throw (a failing observer must not fail a turn). {@link #NONE} observes nothing.
 */
public interface TurnObserver {
  TurnObserver NONE = (sessionId, provider) -> Turn.NONE;

  /** A turn begins in {@code sessionId} with the provider named {@code provider}. */
  Turn turnStarted(String sessionId, String provider);

  /** Several observers as one, called in order. */
  static TurnObserver all(List<TurnObserver> observers) {
    List<TurnObserver> list = List.copyOf(observers);
    if (list.isEmpty()) return NONE;
    if (list.size() == 1) return list.getFirst();
    return (sessionId, provider) -> {
      List<Turn> turns = list.stream().map(o -> o.turnStarted(sessionId, provider)).toList();
      return new Turn() {
        @Override
        public ProviderCall providerCall() {
          List<ProviderCall> calls = turns.stream().map(Turn::providerCall).toList();
          return new ProviderCall() {
            @Override
            public void completed(TokenUsage usage) {
              calls.forEach(c -> c.completed(usage));
            }

            @Override
            public void failed(RuntimeException error) {
              calls.forEach(c -> c.failed(error));
            }
          };
        }

        @Override
        public void event(TurnEvent event) {
          turns.forEach(t -> t.event(event));
        }

        @Override
        public void ended(Agent.StopCause cause, TokenUsage usage) {
          turns.forEach(t -> t.ended(cause, usage));
        }
      };
    };
  }

  /** One turn, seen from its start to its end. */
  interface Turn {
    Turn NONE = new Turn() {};

    /**
     * A call to the provider begins (a turn makes one per model response, more with tool calls).
     */
    default ProviderCall providerCall() {
      return ProviderCall.NONE;
    }

    /**
     * An event the turn sends its clients: the first {@code message_chunk} is the first token,
     * {@code tool_call} and {@code tool_result} bracket a tool call (same id).
     */
    default void event(TurnEvent event) {}

    /** The turn is over; called exactly once, after every other callback of the turn. */
    default void ended(Agent.StopCause cause, TokenUsage usage) {}
  }

  /** One provider call: ends with exactly one of the two callbacks. */
  interface ProviderCall {
    ProviderCall NONE = new ProviderCall() {};

    /**
     * The whole response was read; {@code usage} is what the provider reported (zero when it did
     * not).
     */
    default void completed(TokenUsage usage) {}

    /** The call failed: a {@link goose.provider.ProviderException}, a cancel, or another error. */
    default void failed(RuntimeException error) {}
  }
}

package goose.agent;

import goose.conversation.TokenUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of a {@link TurnObserver}: every callback guarded, so an observer that throws is
 * logged and ignored instead of failing the turn it watches.
 */
final class ObservedTurn {
  private static final Logger log = LoggerFactory.getLogger(ObservedTurn.class);

  private final TurnObserver.Turn turn;

  private ObservedTurn(TurnObserver.Turn turn) {
    this.turn = turn;
  }

  static ObservedTurn start(TurnObserver observer, String sessionId, String provider) {
    try {
      return new ObservedTurn(observer.turnStarted(sessionId, provider));
    } catch (RuntimeException e) {
      log.warn("turn observer failed at the start of a turn; the turn goes on unobserved", e);
      return new ObservedTurn(TurnObserver.Turn.NONE);
    }
  }

  /** The emitter the loop uses: the observer sees each event, then the clients get it. */
  TurnEmitter watching(TurnEmitter emitter) {
    return event -> {
      guard(() -> turn.event(event));
      emitter.emit(event);
    };
  }

  TurnObserver.ProviderCall providerCall() {
    TurnObserver.ProviderCall[] call = {TurnObserver.ProviderCall.NONE};
    guard(() -> call[0] = turn.providerCall());
    TurnObserver.ProviderCall observed = call[0];
    return new TurnObserver.ProviderCall() {
      @Override
      public void completed(TokenUsage usage) {
        guard(() -> observed.completed(usage));
      }

      @Override
      public void failed(RuntimeException error) {
        guard(() -> observed.failed(error));
      }
    };
  }

  void ended(Agent.StopCause cause, TokenUsage usage) {
    guard(() -> turn.ended(cause, usage));
  }

  private static void guard(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("turn observer failed; ignored", e);
    }
  }
}

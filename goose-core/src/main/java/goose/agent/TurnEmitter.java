package goose.agent;

import goose.event.TurnEvent;

/** Where the loop sends what a client should see; the turn service stores and relays it. */
@FunctionalInterface
public interface TurnEmitter {
  void emit(TurnEvent event);
}

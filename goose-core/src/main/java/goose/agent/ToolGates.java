package goose.agent;

import goose.session.Session;

/** Builds the {@link ToolGate} of each turn, from its session, user, event stream and control. */
@FunctionalInterface
public interface ToolGates {
  ToolGates ALLOW_ALL = (session, user, emitter, control) -> ToolGate.ALLOW_ALL;

  ToolGate open(Session session, String user, TurnEmitter emitter, TurnControl control);
}

package goose.agent;

/** A turn running in this process: its id, its owner and its control. */
record RunningTurn(String id, String owner, TurnControl control) {}

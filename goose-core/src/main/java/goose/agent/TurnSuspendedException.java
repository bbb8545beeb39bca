package goose.agent;

/**
 * Thrown inside the loop when the server stops while a tool call waits for its approval: the turn
 * is left as it is in the store (running, approval open) so that the next start resumes it.
 */
final class TurnSuspendedException extends RuntimeException {
  TurnSuspendedException() {
    super("turn suspended by a server stop", null, false, false);
  }
}

package goose.agent;

/**
 * Thrown inside the loop when its turn was cancelled; the loop ends with stop reason "cancelled".
 */
final class TurnCancelledException extends RuntimeException {
  TurnCancelledException() {
    super("turn cancelled", null, false, false);
  }
}

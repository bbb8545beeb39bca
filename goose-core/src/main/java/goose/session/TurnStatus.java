package goose.session;

public enum TurnStatus {
  RUNNING,
  COMPLETED,
  CANCELLED,
  FAILED,
  /** The process running it died; found at start-up (or when its lease lapsed). */
  INTERRUPTED
}

package goose.agent;

/** An owner already has as many turns running as allowed; the caller may retry when one ends. */
public final class TurnLimitException extends RuntimeException {
  private final int limit;

  public TurnLimitException(String owner, int limit) {
    super(
        "user "
            + owner
            + " already has "
            + limit
            + " turn(s) running, the most allowed at once; wait for one to end",
        null,
        false,
        false);
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }
}

package goose.agent;

/**
 * A turn was refused because too many run already (a user's own, or the server's in all); the
 * caller may retry when one ends. {@link #setting()} names the key that sets the limit.
 */
public final class TurnLimitException extends RuntimeException {
  private final int limit;
  private final String setting;

  private TurnLimitException(String message, int limit, String setting) {
    super(message, null, false, false);
    this.limit = limit;
    this.setting = setting;
  }

  static TurnLimitException perUser(String owner, int limit) {
    return new TurnLimitException(
        "user "
            + owner
            + " already has "
            + limit
            + " turn(s) running, the most allowed at once; wait for one to end",
        limit,
        goose.config.ConfigKey.MAX_TURNS_PER_USER.name());
  }

  static TurnLimitException server(int limit) {
    return new TurnLimitException(
        "this server already runs "
            + limit
            + " turn(s), the most it runs at once; wait for one to end",
        limit,
        goose.config.ConfigKey.MAX_RUNNING_TURNS.name());
  }

  public int limit() {
    return limit;
  }

  public String setting() {
    return setting;
  }
}

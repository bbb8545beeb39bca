package goose.agent;

import goose.config.Config;
import goose.config.ConfigKey;

/**
 * How many turns may run at once on this instance: per user ({@code GOOSE_MAX_TURNS_PER_USER}) and
 * in all ({@code GOOSE_MAX_RUNNING_TURNS}). With one person behind the server (auth {@code none} or
 * {@code secret}: a desktop with many windows, a CI job with many parallel sessions) a per-user cap
 * only gets in the way, so there is none unless set; the server-wide cap, sized for the machine,
 * still protects it. With many users ({@code tokens}, {@code proxy}) each gets 4 by default, so
 * that one user cannot take the whole server.
 */
public record TurnLimits(int perUser, int total) {
  /** Per-user cap with many users, unless GOOSE_MAX_TURNS_PER_USER says otherwise. */
  public static final int DEFAULT_PER_USER_MULTI_USER = 4;

  /** No cap at all (tests and embedded use). */
  public static final TurnLimits NONE = new TurnLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

  /**
   * The server-wide default: 64 turns per processor, at least 128. A turn mostly waits on its
   * provider (a virtual thread and one HTTP stream); the cap is there for the tool processes turns
   * start, which do compete for the processors and memory.
   */
  public static int defaultTotal() {
    return Math.max(128, 64 * Runtime.getRuntime().availableProcessors());
  }

  /** The limits of this configuration; {@code multiUser}: auth mode tokens or proxy. */
  public static TurnLimits from(Config config, boolean multiUser) {
    int perUser =
        config.getInt(
            ConfigKey.MAX_TURNS_PER_USER.name(),
            multiUser ? DEFAULT_PER_USER_MULTI_USER : Integer.MAX_VALUE,
            1,
            100_000);
    int total = config.getInt(ConfigKey.MAX_RUNNING_TURNS.name(), defaultTotal(), 1, 1_000_000);
    return new TurnLimits(perUser, total);
  }
}

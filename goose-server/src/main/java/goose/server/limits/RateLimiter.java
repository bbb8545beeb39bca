package goose.server.limits;

import goose.server.http.ApiException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per second per user: one token bucket each ({@code GOOSE_RATE_LIMIT} tokens a second, up
 * to {@code GOOSE_RATE_BURST} saved up). Over the limit is a 429 with {@code Retry-After}.
 * Hand-written on purpose: it is twenty lines for one process, where a library would add a
 * dependency and a scheduler. Limits are per server instance.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param perSecond 0 turns limiting off
   */
  public RateLimiter(double perSecond, double burst) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, burst);
  }

  public boolean enabled() {
    return perSecond > 0;
  }

  /** Takes one request's token for {@code user}, or throws the 429. */
  public void acquire(String user) {
    if (!enabled()) return;
    double missing =
        buckets
            .computeIfAbsent(user, u -> new Bucket(burst, System.nanoTime()))
            .take(perSecond, burst);
    if (missing > 0) {
      long retry = (long) Math.ceil(missing / perSecond);
      throw ApiException.tooManyRequests(
          "too many requests from user "
              + user
              + ": at most "
              + fmt(perSecond)
              + " a second (GOOSE_RATE_LIMIT), bursts of "
              + fmt(burst)
              + " (GOOSE_RATE_BURST); retry in "
              + Math.max(1, retry)
              + " s",
          retry);
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }

    /** 0 when a token was taken, else how many tokens are missing. */
    synchronized double take(double perSecond, double burst) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return 1 - tokens;
    }
  }
}

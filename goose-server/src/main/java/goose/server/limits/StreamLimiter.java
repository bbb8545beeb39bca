package goose.server.limits;

import goose.server.http.ApiException;
import java.util.HashMap;
import java.util.Map;

/**
 * Event streams one user may hold open at once on this instance ({@code
 * GOOSE_MAX_STREAMS_PER_USER}): a turn's reply stream and every {@code GET /sessions/{id}/events}
 * count. An event stream lives as long as its client keeps it, so without a cap one user could hold
 * thousands of connections and their subscriptions; over the cap is a 429 with {@code Retry-After},
 * and other users are not affected (each user has their own count).
 */
public final class StreamLimiter {
  /** Seconds a refused client is told to wait: streams end when their clients hang up. */
  static final long RETRY_AFTER_SECONDS = 5;

  private final int max;
  private final Map<String, Integer> open = new HashMap<>();

  public StreamLimiter(int max) {
    if (max < 1) throw new IllegalArgumentException("at least one stream per user");
    this.max = max;
  }

  /** One open stream of a user, released by {@link #close()} (exactly once). */
  public final class Permit implements AutoCloseable {
    private final String user;
    private boolean closed;

    private Permit(String user) {
      this.user = user;
    }

    @Override
    public void close() {
      synchronized (open) {
        if (closed) return;
        closed = true;
        open.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
      }
    }
  }

  /** Counts a new stream of {@code user}, or throws the 429 when they already hold the maximum. */
  public Permit open(String user) {
    synchronized (open) {
      int now = open.getOrDefault(user, 0);
      if (now >= max) {
        throw ApiException.tooManyRequests(
            "user "
                + user
                + " already has "
                + now
                + " event streams open, the most allowed (GOOSE_MAX_STREAMS_PER_USER): close one first",
            RETRY_AFTER_SECONDS);
      }
      open.put(user, now + 1);
      return new Permit(user);
    }
  }

  /** Streams {@code user} holds open now. */
  public int openBy(String user) {
    synchronized (open) {
      return open.getOrDefault(user, 0);
    }
  }
}

package goose.server.turn;

import goose.event.EventLog;
import goose.event.StoredEvent;
import goose.server.http.CredentialCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Relays a subscription of the event log to an SSE client until the last wanted event has been
 * sent, the subscription ends (shutdown, session deleted), the client hangs up or the request's
 * credentials stop authenticating (checked every {@link CredentialCheck#INTERVAL}, events or not: a
 * rotated token, a removed user). During silence it writes a comment every {@code probeInterval}:
 * keep-alive for proxies, and the only way to notice a gone client while nothing else is written.
 */
final class EventFollower {
  /** How a follow ended. */
  enum End {
    /** The last wanted event was sent. */
    DONE,
    /** The client closed the connection. */
    CLIENT_GONE,
    /** The subscription was closed on our side. */
    CLOSED,
    /**
     * The request's credentials no longer authenticate its user (or, for a session's follower, the
     * session was deleted on another instance).
     */
    REVOKED
  }

  private EventFollower() {}

  static End follow(
      SseWriter out,
      EventLog.Subscription subscription,
      Predicate<StoredEvent> isLast,
      Duration probeInterval,
      CredentialCheck credentials)
      throws InterruptedException {
    CredentialCheck.Periodic check = new CredentialCheck.Periodic(credentials);
    try {
      while (true) {
        if (!check.valid()) {
          out.comment("this stream's credentials no longer authenticate, or its session is gone");
          return End.REVOKED;
        }
        Duration wait =
            check.untilNext().compareTo(probeInterval) < 0 ? check.untilNext() : probeInterval;
        Optional<StoredEvent> next = subscription.next(wait);
        if (next.isPresent()) {
          boolean last = isLast.test(next.get());
          out.send(next.get(), last || !subscription.hasBuffered());
          if (last) return End.DONE;
        } else if (subscription.isClosed()) {
          return End.CLOSED;
        } else if (out.nanosSinceLastWrite() >= probeInterval.toNanos()) {
          out.comment("keep-alive");
        }
      }
    } catch (IOException clientGone) {
      return End.CLIENT_GONE;
    }
  }
}

package goose.server.turn;

import goose.event.EventLog;
import goose.event.StoredEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Relays a subscription of the event log to an SSE client until the last wanted event has been
 * sent, the subscription ends (shutdown, session deleted) or the client hangs up. During silence it
 * writes a comment every {@code probeInterval}: keep-alive for proxies, and the only way to notice
 * a gone client while nothing else is written.
 */
final class EventFollower {
  /** How a follow ended. */
  enum End {
    /** The last wanted event was sent. */
    DONE,
    /** The client closed the connection. */
    CLIENT_GONE,
    /** The subscription was closed on our side. */
    CLOSED
  }

  private EventFollower() {}

  static End follow(
      SseWriter out,
      EventLog.Subscription subscription,
      Predicate<StoredEvent> isLast,
      Duration probeInterval)
      throws InterruptedException {
    try {
      while (true) {
        Optional<StoredEvent> next = subscription.next(probeInterval);
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

package goose.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections' timeouts: every connector closes a connection silent for {@link
 * #IDLE_TIMEOUT_MS} (between requests, or a client that stopped reading; event streams write at
 * least every 15 s, so they stay open), and connections that take too long to send a request's
 * headers are cut ({@code GOOSE_HEADER_TIMEOUT}): the "slowloris" attack, many connections that
 * each send a header byte now and then so that the idle timeout never fires, holding sockets (and,
 * once a request starts, threads) forever.
 *
 * <p>Jetty has no deadline for a request head: its idle timeout restarts with every byte, and its
 * minimum data rates cover bodies only (jetty/jetty.project#1973). So this watches every open HTTP
 * connection once a second: one whose first request head is not complete {@code timeout} after the
 * connection was first seen, or that is midway through a later request head for longer than that,
 * is closed. A connection idle between requests (keep-alive) is left to the idle timeout; a request
 * whose head arrived is never affected, however long its body or its response (an event stream)
 * takes. Written against Jetty's {@code HttpConnection}, whose parser state tells where a
 * connection is.
 */
final class ConnectionTimeouts {
  private static final Logger log = LoggerFactory.getLogger(ConnectionTimeouts.class);
  private static final Duration SWEEP = Duration.ofSeconds(1);

  /**
   * What was last seen of a connection: since when it waits for a head, and after which request.
   */
  private record Watch(long sinceNanos, long messagesIn) {}

  private final Server jetty;
  private final long timeoutNanos;
  private final Map<EndPoint, Watch> watched = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  /** A connection silent this long is closed. */
  static final long IDLE_TIMEOUT_MS = 30_000;

  private ConnectionTimeouts(Server jetty, Duration timeout) {
    this.jetty = jetty;
    this.timeoutNanos = timeout.toNanos();
  }

  /**
   * For {@code cfg.jetty.modifyServer}: sets the idle timeout of every connector as the server
   * starts, and watches request heads with {@code headerTimeout} while it runs.
   */
  static void apply(Server jetty, Duration headerTimeout) {
    ConnectionTimeouts deadline = new ConnectionTimeouts(jetty, headerTimeout);
    jetty.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStarting(LifeCycle event) {
            for (Connector c : jetty.getConnectors()) {
              if (c instanceof AbstractConnector connector)
                connector.setIdleTimeout(IDLE_TIMEOUT_MS);
            }
          }

          @Override
          public void lifeCycleStarted(LifeCycle event) {
            Thread.ofPlatform().daemon().name("goose-header-deadline").start(deadline::run);
          }

          @Override
          public void lifeCycleStopping(LifeCycle event) {
            deadline.running = false;
          }
        });
  }

  private void run() {
    while (running) {
      try {
        Thread.sleep(SWEEP);
        sweep(System.nanoTime());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("header deadline sweep failed: {}", e.toString());
      }
    }
  }

  void sweep(long now) {
    watched.keySet().removeIf(ep -> !ep.isOpen());
    for (Connector connector : jetty.getConnectors()) {
      for (EndPoint ep : connector.getConnectedEndPoints()) {
        Connection c = ep.getConnection();
        if (c instanceof HttpConnection http) check(ep, http, now);
      }
    }
  }

  private void check(EndPoint ep, HttpConnection http, long now) {
    long messages = http.getMessagesIn();
    boolean waitingForHead =
        http.getParser().inHeaderState() && (messages == 0 || !http.getParser().isStart());
    if (!waitingForHead) {
      watched.remove(ep);
      return;
    }
    Watch watch =
        watched.compute(
            ep, (k, w) -> w == null || w.messagesIn() != messages ? new Watch(now, messages) : w);
    if (now - watch.sinceNanos() > timeoutNanos) {
      log.debug(
          "closing a connection from {}: no complete request head within {} s (GOOSE_HEADER_TIMEOUT)",
          ep.getRemoteSocketAddress(),
          timeoutNanos / 1_000_000_000L);
      watched.remove(ep);
      ep.close();
    }
  }
}

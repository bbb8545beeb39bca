package goose.session;

import goose.event.ClusterSignals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterSignals} over PostgreSQL LISTEN/NOTIFY: no broker beyond the database every
 * instance already shares. A payload is {@code "<instance> <session> [<seq>]"}; an instance ignores
 * its own. Event signals are normally sent by the store inside each event's insert transaction
 * ({@link #notifyEvent}, delivered at commit); cancels, and events when the store does not send
 * them, go through one dedicated sending connection. One more connection outside the pool LISTENs
 * (a thread waits on it); when it breaks it reconnects with a back-off and asks the listener to
 * {@code resync}.
 */
final class PostgresSignals implements ClusterSignals {
  private static final Logger log = LoggerFactory.getLogger(PostgresSignals.class);
  static final String EVENTS = "goose_events";
  static final String CANCEL = "goose_cancel";
  private static final int WAIT_MS = 500;
  private static final Duration RECONNECT_BACKOFF = Duration.ofSeconds(1);

  private final PostgresUrl url;
  private final String instanceId;
  private final boolean storeSignalsEvents;
  // A lock, not a monitor: the database round trip under it would pin a virtual thread's carrier.
  private final ReentrantLock sendLock = new ReentrantLock();
  private @Nullable Connection sender; // guarded by sendLock
  private volatile boolean closed;
  private volatile @Nullable Thread listenerThread;

  /**
   * @param storeSignalsEvents the store sends the event signals in its insert transactions ({@link
   *     JdbcSessionStore#signalEventsAs}), so {@link #eventAppended} has nothing left to do
   */
  PostgresSignals(PostgresUrl url, String instanceId, boolean storeSignalsEvents) {
    this.url = url;
    this.instanceId = instanceId;
    this.storeSignalsEvents = storeSignalsEvents;
  }

  /** Sends the signal of an appended event on {@code c}, inside the caller's transaction. */
  static void notifyEvent(Connection c, String instanceId, String sessionId, long seq)
      throws SQLException {
    notify(c, EVENTS, instanceId + " " + sessionId + " " + seq);
  }

  private static void notify(Connection c, String channel, String payload) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      st.setString(1, channel);
      st.setString(2, payload);
      st.execute();
    }
  }

  @Override
  public void eventAppended(String sessionId, long seq) {
    if (!storeSignalsEvents) send(EVENTS, instanceId + " " + sessionId + " " + seq);
  }

  @Override
  public void cancelRequested(String sessionId) {
    send(CANCEL, instanceId + " " + sessionId);
  }

  /**
   * Best effort: the store has the truth, a missed signal only delays a follower (its next wake
   * reads it).
   */
  private void send(String channel, String payload) {
    if (closed) return;
    sendLock.lock();
    try {
      for (int attempt = 1; attempt <= 2; attempt++) {
        try {
          Connection c = sender;
          if (c == null || c.isClosed()) sender = c = connect();
          notify(c, channel, payload);
          return;
        } catch (SQLException e) {
          closeQuietly(sender);
          sender = null;
          if (attempt == 2)
            log.warn("could not signal {} to other instances: {}", channel, e.getMessage());
        }
      }
    } finally {
      sendLock.unlock();
    }
  }

  @Override
  public void listen(Listener listener) {
    listenerThread =
        Thread.ofPlatform().daemon().name("goose-signals").start(() -> listenLoop(listener));
  }

  private void listenLoop(Listener listener) {
    boolean reconnecting = false;
    while (!closed) {
      try (Connection c = connect()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + EVENTS);
          st.execute("LISTEN " + CANCEL);
        }
        if (reconnecting) {
          log.info("signal connection to PostgreSQL is back");
          listener.resync();
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] notes = pg.getNotifications(WAIT_MS);
          if (notes == null) continue;
          for (PGNotification n : notes) deliver(listener, n.getName(), n.getParameter());
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) return;
        log.warn("signal connection to PostgreSQL failed ({}); reconnecting", e.getMessage());
        reconnecting = true;
        try {
          Thread.sleep(RECONNECT_BACKOFF);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void deliver(Listener listener, String channel, String payload) {
    String[] parts = payload.split(" ", -1);
    if (parts.length < 2 || parts[0].equals(instanceId)) return;
    try {
      if (channel.equals(EVENTS) && parts.length == 3)
        listener.eventAppended(parts[1], Long.parseLong(parts[2]));
      else if (channel.equals(CANCEL)) listener.cancelRequested(parts[1]);
    } catch (RuntimeException e) {
      log.warn("ignored signal {} '{}': {}", channel, payload, e.toString());
    }
  }

  private Connection connect() throws SQLException {
    return url.connect(Map.of("ApplicationName", "goosed-signals"));
  }

  @Override
  public void close() {
    closed = true;
    Thread t = listenerThread;
    if (t != null) {
      try {
        t.join(WAIT_MS * 4L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    sendLock.lock();
    try {
      closeQuietly(sender);
      sender = null;
    } finally {
      sendLock.unlock();
    }
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing a broken connection: nothing left to do
    }
  }
}

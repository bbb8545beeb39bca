package goose.session;

import goose.event.ClusterSignals;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterSignals} between the processes sharing one SQLite file (a {@code goose server} and
 * the {@code goose acp} processes of editors), through the table {@code signals} (migration V30).
 * SQLite has no notifications across processes, so every process polls: written here rather than
 * taken from a library because the only broker these processes share is the file itself.
 *
 * <p>Every {@link #POLL} one thread per process writes the event signals gathered since its last
 * round (one row per session that got events, its highest seq: a streaming turn costs one small
 * insert per poll, not one per event), then reads the rows after its cursor and delivers the other
 * processes' ones. A cancel is written at once. Rows older than {@link #KEEP} are deleted; a
 * process that could not read for a while asks its listener to {@code resync}, so a missed row
 * delays a follower and never loses an event: the store stays the truth.
 */
final class SqliteSignals implements ClusterSignals {
  private static final Logger log = LoggerFactory.getLogger(SqliteSignals.class);

  /** How often a process writes its pending signals and reads the others'. */
  static final Duration POLL = Duration.ofMillis(100);

  /** How long a row is kept: far longer than any poll gap of a live process. */
  static final Duration KEEP = Duration.ofMinutes(1);

  private static final Duration PRUNE_EVERY = Duration.ofSeconds(10);
  private static final int PAGE = 500;
  static final String EVENT = "event";
  static final String CANCEL = "cancel";

  private final SqlDatabase db;
  private final String instanceId;
  private final Map<String, Long> pendingEvents = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile @Nullable Thread poller;

  // Used by the poller thread only.
  private long cursor;
  private long lastReadNanos;
  private long lastPruneNanos;
  private boolean failing;

  SqliteSignals(SqlDatabase db, String instanceId) {
    this.db = db;
    this.instanceId = instanceId;
  }

  /** Kept until the next round of the poller; a later seq of the same session replaces it. */
  @Override
  public void eventAppended(String sessionId, long seq) {
    if (!closed) pendingEvents.merge(sessionId, seq, Math::max);
  }

  /** Written at once: a cancel is rare and should stop the turn as soon as its owner polls. */
  @Override
  public void cancelRequested(String sessionId) {
    try {
      Stores.write(db, c -> Sql.update(c, INSERT, instanceId, CANCEL, sessionId, 0L, nanosNow()));
    } catch (RuntimeException e) {
      // The cancel mark on the turn stays: the owner's lease heartbeat sees it a little later.
      log.warn("could not signal a cancel of session {}: {}", sessionId, e.getMessage());
    }
  }

  private static final String INSERT =
      "INSERT INTO signals (instance_id, kind, session_id, seq, created_at) VALUES (?, ?, ?, ?, ?)";

  @Override
  public void listen(Listener listener) {
    cursor =
        Stores.read(
                db,
                c -> Sql.first(c, "SELECT COALESCE(MAX(id), 0) FROM signals", rs -> rs.getLong(1)))
            .orElse(0L);
    lastReadNanos = System.nanoTime();
    lastPruneNanos = System.nanoTime();
    poller = Thread.ofPlatform().daemon().name("goose-signals").start(() -> pollLoop(listener));
  }

  private void pollLoop(Listener listener) {
    while (!closed) {
      round(listener);
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One round: write pending signals, deliver the others', prune now and then. */
  private void round(Listener listener) {
    try {
      flush();
      boolean gap = System.nanoTime() - lastReadNanos > KEEP.dividedBy(2).toNanos();
      read(listener);
      if (failing || gap) {
        if (failing) log.info("signals between the processes on this store are back");
        failing = false;
        listener.resync(); // rows may have been pruned or missed meanwhile: look again
      }
      if (System.nanoTime() - lastPruneNanos > PRUNE_EVERY.toNanos()) {
        lastPruneNanos = System.nanoTime();
        long before = nanosNow() - KEEP.toNanos();
        Stores.write(db, c -> Sql.update(c, "DELETE FROM signals WHERE created_at < ?", before));
      }
    } catch (RuntimeException e) {
      if (!failing)
        log.warn(
            "signals between the processes on this store failed ({}); retrying", e.getMessage());
      failing = true;
    }
  }

  /** Writes the gathered event signals, one row per session, in one transaction. */
  private void flush() {
    if (pendingEvents.isEmpty()) return;
    List<Map.Entry<String, Long>> batch = List.copyOf(pendingEvents.entrySet());
    long now = nanosNow();
    Stores.write(
        db,
        c -> {
          try (PreparedStatement st = c.prepareStatement(INSERT)) {
            for (Map.Entry<String, Long> e : batch) {
              Sql.bind(st, instanceId, EVENT, e.getKey(), e.getValue(), now);
              st.addBatch();
            }
            return st.executeBatch().length;
          }
        });
    // A seq appended meanwhile stays pending for the next round.
    for (Map.Entry<String, Long> e : batch) pendingEvents.remove(e.getKey(), e.getValue());
  }

  private void read(Listener listener) {
    while (true) {
      List<Signal> page =
          Stores.read(
              db,
              c ->
                  Sql.all(
                      c,
                      "SELECT id, instance_id, kind, session_id, seq FROM signals WHERE id > ?"
                          + " ORDER BY id LIMIT "
                          + PAGE,
                      SqliteSignals::signal,
                      cursor));
      lastReadNanos = System.nanoTime();
      for (Signal s : page) {
        cursor = s.id;
        if (s.instanceId.equals(instanceId)) continue;
        try {
          if (s.kind.equals(EVENT)) listener.eventAppended(s.sessionId, s.seq);
          else if (s.kind.equals(CANCEL)) listener.cancelRequested(s.sessionId);
        } catch (RuntimeException e) {
          log.warn("ignored signal {} of session {}: {}", s.kind, s.sessionId, e.toString());
        }
      }
      if (page.size() < PAGE) return;
    }
  }

  private record Signal(long id, String instanceId, String kind, String sessionId, long seq) {}

  private static Signal signal(ResultSet rs) throws java.sql.SQLException {
    return new Signal(
        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));
  }

  private static long nanosNow() {
    return StoreRows.nanos(Instant.now());
  }

  /** Stops polling, then writes what is still pending: followers elsewhere see the last events. */
  @Override
  public void close() {
    closed = true;
    Thread t = poller;
    if (t != null) {
      try { // not interrupted: it may be inside a write, which is short
        t.join(POLL.toMillis() * 20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("could not write the last signals: {}", e.getMessage());
    }
  }
}

package goose.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.event.ClusterSignals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes' signals on one SQLite file (two pools on the file, as two processes have): each
 * receives the other's events and cancels, never its own; event signals of one session are gathered
 * into one row per round; old rows are pruned.
 */
class SqliteSignalsTest {
  @TempDir Path dir;
  JdbcSessionStore storeA;
  JdbcSessionStore storeB;
  SqliteSignals a;
  SqliteSignals b;
  final List<String> seenByA = new CopyOnWriteArrayList<>();
  final List<String> seenByB = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    Path file = dir.resolve("sessions.db");
    storeA = (JdbcSessionStore) SessionStores.openSqlite(file);
    storeB = (JdbcSessionStore) SessionStores.openSqlite(file);
    a = new SqliteSignals(storeA.database(), "instance-a");
    b = new SqliteSignals(storeB.database(), "instance-b");
    a.listen(recorder(seenByA));
    b.listen(recorder(seenByB));
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
    storeA.close();
    storeB.close();
  }

  private static ClusterSignals.Listener recorder(List<String> seen) {
    return new ClusterSignals.Listener() {
      @Override
      public void eventAppended(String sessionId, long seq) {
        seen.add("event " + sessionId + " " + seq);
      }

      @Override
      public void cancelRequested(String sessionId) {
        seen.add("cancel " + sessionId);
      }

      @Override
      public void resync() {
        seen.add("resync");
      }
    };
  }

  @Test
  void eachProcessReceivesTheOthersSignalsAndNotItsOwn() throws Exception {
    a.eventAppended("s1", 3);
    a.eventAppended("s1", 7);
    a.cancelRequested("s2");
    b.eventAppended("s3", 1);

    until(Duration.ofSeconds(30), () -> seenByB.contains("event s1 7"));
    until(Duration.ofSeconds(30), () -> seenByA.contains("event s3 1"));
    assertThat(seenByB).contains("cancel s2").doesNotContain("event s3 1");
    assertThat(seenByA).doesNotContain("event s1 7", "cancel s2");
  }

  @Test
  void aBurstOfEventsOfOneSessionIsOneRowPerRound() throws Exception {
    b.close(); // b's poller stops: a's rows stay for counting
    for (int seq = 1; seq <= 1000; seq++) a.eventAppended("s1", seq);
    until(
        Duration.ofSeconds(30), () -> count("SELECT COUNT(*) FROM signals WHERE seq = 1000") == 1);
    assertThat(count("SELECT COUNT(*) FROM signals WHERE session_id = 's1'"))
        .as("gathered, not one row per event")
        .isLessThan(50);
  }

  @Test
  void rowsOlderThanTheirKeepAreDeleted() throws Exception {
    long old = StoreRows.nanos(java.time.Instant.now().minus(SqliteSignals.KEEP).minusSeconds(5));
    Stores.write(
        storeA.database(),
        c ->
            Sql.update(
                c,
                "INSERT INTO signals (instance_id, kind, session_id, seq, created_at)"
                    + " VALUES ('gone', 'event', 'old', 1, ?)",
                old));
    until(
        Duration.ofSeconds(60),
        () -> count("SELECT COUNT(*) FROM signals WHERE session_id = 'old'") == 0);
  }

  /** Waits for {@code condition}, polling; fails after {@code timeout}. */
  private static void until(Duration timeout, java.util.function.BooleanSupplier condition) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
  }

  private long count(String sql) {
    return Stores.read(storeA.database(), c -> Sql.first(c, sql, rs -> rs.getLong(1)))
        .orElseThrow();
  }
}

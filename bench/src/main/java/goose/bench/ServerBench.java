package goose.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Our server as a process: start-up, memory, relay latency and concurrent streaming turns. */
final class ServerBench {
  /** Microseconds between chunks of the slower provider's reply in the relay section. */
  static final long GAP_US = 100;

  private static final double MB = 1024 * 1024;
  private final BenchOptions opt;
  private final FakeProvider fake;
  private final Results results;

  ServerBench(BenchOptions opt, FakeProvider fake, Results results) {
    this.opt = opt;
    this.fake = fake;
    this.results = results;
  }

  void startup() throws IOException, InterruptedException {
    String s = "start-up";
    int runs = opt.smoke() ? 2 : 5;
    startups(s, "fresh data dir", runs, false, Map.of(), 0.5);
    startups(s, "existing data dir", runs, true, Map.of(), 0.3);
    // The same starts without the AOT cache (the dynamic CDS archive only): what the cache buys.
    startups(s, "existing data dir, GOOSE_AOT=off", runs, true, Map.of("GOOSE_AOT", "off"), -1);
  }

  /**
   * {@code runs} starts of bin/goosed, each on a fresh data dir or all on one that an unmeasured
   * first start created (schema current); the median and worst launch-to-200 and the CPU time.
   */
  private void startups(
      String s, String kind, int runs, boolean existing, Map<String, String> env, double target)
      throws IOException, InterruptedException {
    long[] ms = new long[runs];
    long[] cpu = new long[runs];
    long[] ready = new long[runs];
    Path shared = opt.scratch().resolve("startup-" + kind.replaceAll("\\W+", "-"));
    if (existing) {
      try (Goosed g = Goosed.start(opt.repo(), shared, fake, "", env)) {
        g.createSession("existing");
      }
    }
    for (int i = 0; i < runs; i++) {
      Path root = existing ? shared : shared.resolveSibling(shared.getFileName() + "-" + i);
      try (Goosed g = Goosed.start(opt.repo(), root, fake, "", env)) {
        ms[i] = Math.round(g.startSeconds * 1e6);
        cpu[i] = Math.round(g.startCpuSeconds * 1e6);
        ready[i] = Math.round(g.readySeconds * 1e6);
      }
    }
    Stats st = Stats.of(ms, 1e6);
    results.add(
        s, kind + ": CPU time used until the first 200, median", Stats.of(cpu, 1e6).p50(), "s");
    String median = kind + ": launch to first 200 on /status, median of " + runs;
    if (target > 0) results.target(s, median, st.p50(), "s", target, "bin/goosed, warm page cache");
    else results.add(s, median, st.p50(), "s");
    results.add(s, kind + ": launch to first 200 on /status, worst of " + runs, st.max(), "s");
    results.add(
        s,
        kind + ": launch to first 200 on GET /sessions (store open), median",
        Stats.of(ready, 1e6).p50(),
        "s");
  }

  /** Idle memory, relay, stored-session memory and concurrency on one server. */
  void main() throws Exception {
    try (Goosed g = Goosed.start(opt.repo(), opt.scratch().resolve("main"), fake, "", Map.of())) {
      String s = "memory";
      Thread.sleep(1000);
      double idle = g.rss() / MB;
      long heapIdle = Proc.heapUsedAfterGc(opt.javaHome(), g.pid());
      results.target(s, "RSS idle", idle, "MB", 80, "");
      results.add(s, "heap used after full GC, idle", heapIdle / MB, "MB");
      relay(g);
      // -Dbench.relayOnly=true: the relay rows alone (an A/B of the 1-turn relay)
      if (Boolean.getBoolean("bench.relayOnly")) return;
      storedSessions(g, heapIdle);
      for (int n : concurrencyLevels()) concurrent(g, n);
    }
  }

  /**
   * 100, 1,000 and 5,000 turns ({@code -Dbench.turns=5000} in BENCH_JAVA_OPTS: only those, for an
   * A/B of one level).
   */
  private int[] concurrencyLevels() {
    String only = System.getProperty("bench.turns", "");
    if (!only.isBlank())
      return java.util.Arrays.stream(only.split(","))
          .mapToInt(t -> Integer.parseInt(t.strip()))
          .toArray();
    return opt.smoke() ? new int[] {20, 100} : new int[] {100, 1000, 5000};
  }

  private void relay(Goosed g) throws Exception {
    String s = "relay";
    String session = g.createSession("relay");
    // first byte from the provider -> first event at the client
    int turns = Integer.getInteger("bench.relayTurns", opt.smoke() ? 10 : 50);
    List<Long> firstAdded = new ArrayList<>();
    List<Long> perEvent = new ArrayList<>();
    for (int i = 0; i < turns + 5; i++) {
      String id = "r" + i;
      TurnDriver.Result r =
          TurnDriver.run(g.port, session, TurnDriver.directive(id, 20, 5, true, ""), 60_000);
      if (!r.ok(20)) throw new IOException("relay turn failed: " + r);
      if (i < 5) continue; // warm-up
      Long fb = fake.firstByteNanos(id);
      if (fb != null) firstAdded.add(r.firstChunkNanos() - fb);
      perEvent.addAll(r.addedNanos());
    }
    Stats first = Stats.of(firstAdded, 1e6);
    Stats ev = Stats.of(perEvent, 1e6);
    results.add(
        s,
        "provider first byte -> client first event, p50 (" + first.count() + " turns)",
        first.p50(),
        "ms");
    results.add(s, "provider first byte -> client first event, p99", first.p99(), "ms");
    results.add(
        s, "added latency per event, p50 (" + ev.count() + " events, 5 ms apart)", ev.p50(), "ms");
    results.target(s, "added latency per event, p99", ev.p99(), "ms", 2, "");

    // a 3,000-chunk reply through the server vs straight from the fake
    int chunks = opt.smoke() ? 500 : 3000;
    double cold = throughServer(g, g.createSession("big-cold"), chunks);
    List<Long> direct = new ArrayList<>();
    List<Long> through = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      directRead(chunks);
      throughServer(g, session, chunks);
    }
    for (int i = 0; i < 7; i++) {
      direct.add(Math.round(directRead(chunks) * 1e9));
      through.add(Math.round(throughServer(g, g.createSession("big" + i), chunks) * 1e9));
    }
    double d = Stats.of(direct, 1e9).p50();
    double t = Stats.of(through, 1e9).p50();
    results.add(s, chunks + "-chunk reply read straight from the fake, median", d, "s");
    results.add(s, chunks + "-chunk reply through goosed, first (cold)", cold, "s");
    results.add(s, chunks + "-chunk reply through goosed, median (warm)", t, "s");
    results.target(s, chunks + "-chunk reply: through goosed / direct", t / d, "x", 1.2, "");

    // the same reply from a slower provider (chunks GAP_US apart): goosed must keep up with it
    String paced = TurnDriver.paced(chunks, GAP_US);
    directRead(paced, chunks);
    throughServer(g, session, paced);
    List<Long> slowDirect = new ArrayList<>();
    List<Long> slowThrough = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      slowDirect.add(Math.round(directRead(paced, chunks) * 1e9));
      slowThrough.add(Math.round(throughServer(g, g.createSession("paced" + i), paced) * 1e9));
    }
    double sd = Stats.of(slowDirect, 1e9).p50();
    double st = Stats.of(slowThrough, 1e9).p50();
    String slow = chunks + "-chunk reply from a slower provider (" + GAP_US + " us between chunks)";
    results.add(s, slow + " read straight from the fake, median", sd, "s");
    results.add(s, slow + " through goosed, median", st, "s");
    results.target(s, slow + ": through goosed / direct", st / sd, "x", 1.2, "");
  }

  /**
   * Seconds from the request to the end of a reply of {@code chunks} chunks, read from the fake
   * directly.
   */
  double directRead(int chunks) throws IOException {
    return directRead(TurnDriver.burst(chunks), chunks);
  }

  /** {@link #directRead(int)} of the reply {@code directive} asks for. */
  double directRead(String directive, int chunks) throws IOException {
    String body =
        "{\"model\":\"bench-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
            + directive
            + "\"}]}";
    int[] n = {0};
    long t0 = System.nanoTime();
    SseCall.run(
        fake.port(),
        "POST",
        "/v1/chat/completions",
        Map.of(),
        body,
        60_000,
        e -> {
          if (e.data().equals("[DONE]")) return false;
          n[0]++;
          return true;
        });
    if (n[0] < chunks) throw new IOException("direct read got " + n[0] + " events");
    return (System.nanoTime() - t0) / 1e9;
  }

  double throughServer(Goosed g, String session, int chunks) throws IOException {
    return throughServer(g, session, TurnDriver.burst(chunks));
  }

  /** {@link #throughServer(Goosed, String, int)} of the reply {@code directive} asks for. */
  double throughServer(Goosed g, String session, String directive) throws IOException {
    TurnDriver.Result r = TurnDriver.run(g.port, session, directive, 120_000);
    if (!r.ok(1)) throw new IOException("big turn failed: " + r.status() + " " + r.outcome());
    return (r.endNanos() - r.sentNanos()) / 1e9;
  }

  private void storedSessions(Goosed g, long heapIdle) throws Exception {
    String s = "memory";
    int n = opt.smoke() ? 500 : 10_000;
    long[] create = new long[n];
    AtomicInteger next = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i; (i = next.getAndIncrement()) < n; ) {
                    long t0 = System.nanoTime();
                    g.createSession("stored " + i);
                    create[i] = System.nanoTime() - t0;
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) f.get();
    }
    Stats c = Stats.of(create, 1e6);
    results.add("api", "POST /sessions p50 (4 clients)", c.p50(), "ms");
    results.add("api", "POST /sessions p99 (4 clients)", c.p99(), "ms");
    Thread.sleep(500);
    long heap = Proc.heapUsedAfterGc(opt.javaHome(), g.pid());
    results.add(s, "RSS with " + n + " more stored sessions", g.rss() / MB, "MB");
    results.target(
        s,
        "heap per stored idle session",
        (heap - heapIdle) / 1024.0 / n,
        "KB",
        20,
        "heap after full GC, difference / sessions");
  }

  private void concurrent(Goosed g, int n) throws Exception {
    String s = "concurrency";
    int chunks = 20;
    long delay = 100;
    List<String> sessions = g.createSessions(n, "c" + n + "-");
    System.gc();
    Thread.sleep(300);
    long rssBefore = g.rss();
    double cpuBefore = Proc.cpuSeconds(g.pid());
    AtomicLong peak = new AtomicLong(rssBefore);
    ConcurrentLinkedQueue<Long> added = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> firstLatency = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    AtomicInteger ok = new AtomicInteger();
    long t0 = System.nanoTime();
    Thread sampler =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(g.rss(), Math::max);
                    try {
                      Thread.sleep(50);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        String session = sessions.get(i);
        String id = "c" + n + "-" + i;
        pool.execute(
            () -> {
              try {
                TurnDriver.Result r =
                    TurnDriver.run(
                        g.port,
                        session,
                        TurnDriver.directive(id, chunks, delay, true, ""),
                        120_000);
                if (r.ok(chunks)) ok.incrementAndGet();
                else errors.add(r.status() + " " + r.outcome() + " chunks=" + r.chunks());
                added.addAll(r.addedNanos());
                Long fb = fake.firstByteNanos(id);
                if (fb != null && r.firstChunkNanos() > 0)
                  firstLatency.add(r.firstChunkNanos() - fb);
              } catch (IOException | RuntimeException e) {
                errors.add(e.toString());
              }
            });
      }
      pool.shutdown();
      if (!pool.awaitTermination(5, TimeUnit.MINUTES)) errors.add("timed out after 5 minutes");
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    sampler.interrupt();
    double cpu = Proc.cpuSeconds(g.pid()) - cpuBefore;
    Stats ev = Stats.of(added.stream().toList(), 1e6);
    Stats first = Stats.of(firstLatency.stream().toList(), 1e6);
    String label = n + " concurrent turns";
    double rate = 100.0 * ok.get() / n;
    results.add(s, label + ": completed", rate, "%");
    if (!errors.isEmpty())
      results.note(s, label + ": first error", errors.peek() + " (" + errors.size() + " errors)");
    results.add(
        s,
        label
            + ": wall time (each turn streams "
            + chunks
            + " chunks over "
            + (chunks - 1) * delay / 1000.0
            + " s)",
        wall,
        "s");
    results.add(s, label + ": added latency per event p50", ev.p50(), "ms");
    double p99Target = n >= 5000 ? 100 : n >= 1000 ? 20 : -1;
    if (p99Target > 0)
      results.target(s, label + ": added latency per event p99", ev.p99(), "ms", p99Target, "");
    else results.add(s, label + ": added latency per event p99", ev.p99(), "ms");
    results.add(s, label + ": provider first byte -> first event p99", first.p99(), "ms");
    results.add(s, label + ": goosed CPU (of one core) while streaming", 100 * cpu / wall, "%");
    double perTurn = (peak.get() - rssBefore) / 1024.0 / n;
    if (n >= 1000)
      results.target(
          s,
          label + ": RSS increment per active turn",
          perTurn,
          "KB",
          512,
          "peak RSS while streaming minus RSS before");
    else results.add(s, label + ": RSS increment per active turn", perTurn, "KB");
    if (n == 5000) results.target(s, label + ": errors", n - ok.get(), "", 0, "");
  }

  static Path dataFile(Path root) {
    return root.resolve("data/sessions/sessions.db");
  }
}

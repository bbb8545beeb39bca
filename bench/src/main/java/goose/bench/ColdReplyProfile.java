package goose.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One extra launch of bin/goosed after the measurement, as the side-by-side run does (100 sessions,
 * then a 3,000-chunk reply in a new session, cold, then warm ones): the CPU by thread, JIT
 * compilations, classes loaded and collections during the cold reply and during a warm one.
 */
final class ColdReplyProfile {
  private static final int CHUNKS = 3000;

  /** What one reply cost the server. */
  record Reply(double wallSeconds, ThreadCpu cpu, PerfCounters before, PerfCounters after) {
    long compiles() {
      return after.compiles() - before.compiles();
    }

    double compileMs() {
      return after.compileMs() - before.compileMs();
    }

    double javaThreads() {
      return cpu.of(ThreadCpu.MAIN) + cpu.of(ThreadCpu.CARRIERS) + cpu.of(ThreadCpu.OTHER);
    }
  }

  private final BenchOptions opt;
  private final FakeProvider fake;
  private final ServerBench server;

  ColdReplyProfile(BenchOptions opt, FakeProvider fake, ServerBench server) {
    this.opt = opt;
    this.fake = fake;
    this.server = server;
  }

  Explanation explain(Target target, List<String> measured) throws Exception {
    Reply cold;
    Reply warm;
    Reply paced;
    try (Goosed g =
        Goosed.start(opt.repo(), opt.scratch().resolve("profile-cold"), fake, "", Map.of())) {
      for (int i = 0; i < 100; i++) g.createSession("profile " + i);
      PerfCounters.of(opt.javaHome(), g.pid()); // the first attach starts jcmd's listener thread
      cold = reply(g);
      reply(g);
      reply(g);
      warm = reply(g);
      paced = reply(g, TurnDriver.paced(CHUNKS, ServerBench.GAP_US));
    }
    ProfileTable.Builder t =
        ProfileTable.builder(
            "The server during one "
                + CHUNKS
                + "-chunk reply, the first after start and a warm one (one extra launch after the"
                + " measurement, 100 sessions first as in the side-by-side run; CPU in s from"
                + " `/proc/PID/task/*/stat`, JIT and GC from the JVM's performance counters):",
            "",
            "cold (first reply)",
            "warm (fourth reply)",
            "warm, slower provider (" + ServerBench.GAP_US + " us between chunks)");
    List<Reply> replies = List.of(cold, warm, paced);
    t.row(cells("reply, POST to the last event (s)", replies, Reply::wallSeconds));
    t.row(cells("**server CPU, all threads**", replies, r -> r.cpu().total()));
    t.row(cells("Java threads (request, turn and other threads)", replies, Reply::javaThreads));
    for (String g : List.of(ThreadCpu.C1, ThreadCpu.C2, ThreadCpu.VM))
      t.row(cells(g, replies, r -> r.cpu().of(g)));
    t.row(cells("JIT compilations", replies, Reply::compiles));
    t.row(
        cells(
            "time in JIT compilations (ms, wall, all compiler threads)",
            replies,
            Reply::compileMs));
    t.row(
        cells(
            "classes loaded",
            replies,
            r -> r.after().classesLoaded() - r.before().classesLoaded()));
    t.row(cells("young collections (pause ms)", replies, ColdReplyProfile::collections));
    return new Explanation(target, measured, List.of(t.build()), close(target, cold, warm, paced));
  }

  /** A row: its label, then one cell per reply. */
  private static Object[] cells(String label, List<Reply> replies, Function<Reply, Object> cell) {
    List<Object> row = new ArrayList<>();
    row.add(label);
    replies.forEach(r -> row.add(cell.apply(r)));
    return row.toArray();
  }

  private static String collections(Reply r) {
    return (r.after().youngCollections() - r.before().youngCollections())
        + " ("
        + Report.number(r.after().youngCollectionMs() - r.before().youngCollectionMs())
        + ")";
  }

  private Reply reply(Goosed g) throws Exception {
    return reply(g, TurnDriver.burst(CHUNKS));
  }

  private Reply reply(Goosed g, String directive) throws Exception {
    String session = g.createSession("profile reply");
    ThreadCpu cpu0 = ThreadCpu.of(g.pid());
    PerfCounters before = PerfCounters.of(opt.javaHome(), g.pid());
    double wall = server.throughServer(g, session, directive);
    ThreadCpu cpu = ThreadCpu.of(g.pid()).minus(cpu0);
    return new Reply(wall, cpu, before, PerfCounters.of(opt.javaHome(), g.pid()));
  }

  private static String close(Target target, Reply cold, Reply warm, Reply paced) {
    double extra = cold.cpu().total() - warm.cpu().total();
    String gap =
        String.format(
            Locale.ROOT,
            "The cold reply cost the server %s s of CPU against %s s for a warm one: %s s more, of"
                + " which the JIT compiler threads %s s (%d compilations against %d) and the Java"
                + " threads %s s (code still interpreted or in its first compiled tiers).",
            Report.number(cold.cpu().total()),
            Report.number(warm.cpu().total()),
            Report.number(extra),
            Report.number(cold.cpu().jit() - warm.cpu().jit()),
            cold.compiles(),
            warm.compiles(),
            Report.number(cold.javaThreads() - warm.javaThreads()));
    if (target == Target.RELAY_RATIO)
      return gap
          + String.format(
              Locale.ROOT,
              " From the slower provider the warm reply took %s s and %s s of server CPU (%s of"
                  + " it on the Java threads): chunks that come apart are each decoded, stored and"
                  + " framed on their own instead of merged, so the ratio is goosed's cost per event"
                  + " (one stored event, one SSE frame each) against the provider's pace, and what"
                  + " would close it is less work per event"
                  + " ([docs/benchmarks.md](docs/benchmarks.md#relay-missed)).",
              Report.number(paced.wallSeconds()),
              Report.number(paced.cpu().total()),
              Report.number(paced.javaThreads()));
    return gap
        + " What would close it is code compiled before the first reply: JDK 25's AOT cache holds"
        + " the training run's classes and profiles but no compiled code, so the first reply still"
        + " interprets and compiles; AOT-compiled code in the cache (a later JDK) or a native image"
        + " would ([docs/benchmarks.md](docs/benchmarks.md#cold-reply-missed)).";
  }
}

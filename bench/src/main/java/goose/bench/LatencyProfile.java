package goose.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * One extra launch of bin/goosed with a GC log, after the measurement, and two passes on it like
 * the relay and concurrency figures: turns one at a time (20 chunks 5 ms apart), then {@code
 * -Dbench.profileTurns} (1,000) concurrent turns (20 chunks 100 ms apart) under a JFR recording.
 * Per pass: the per-event latency it saw, GC pauses, who used the cores; for the concurrent pass
 * the CPU samples by stage of a turn.
 */
final class LatencyProfile {
  /** What one pass saw. */
  record Pass(
      String label,
      int turns,
      Stats events,
      GcLog.Summary gc,
      CpuWindow cpu,
      ThreadCpu goosedThreads) {}

  /** Both passes and the JFR profile of the concurrent one. */
  record Result(Pass single, Pass concurrent, JfrStages.Profile jfr) {}

  private final BenchOptions opt;
  private final FakeProvider fake;
  private @Nullable Result result;

  LatencyProfile(BenchOptions opt, FakeProvider fake) {
    this.opt = opt;
    this.fake = fake;
  }

  /** Runs the passes once; both latency targets read the same result. */
  Result result() throws Exception {
    Result r = result;
    if (r == null) {
      r = capture();
      result = r;
    }
    return r;
  }

  private Result capture() throws Exception {
    Path root = opt.scratch().resolve("profile-latency");
    Path gcLog = root.resolve("gc.log");
    Path jfr = root.resolve("turns.jfr");
    java.nio.file.Files.createDirectories(root);
    try (Goosed g =
        Goosed.start(
            opt.repo(),
            root,
            fake,
            "",
            Map.of("JAVA_OPTS", "-Xlog:gc:file=" + gcLog + ":uptime"))) {
      Pass single = single(g, gcLog);
      int n = Integer.getInteger("bench.profileTurns", 1000);
      // A first, unprofiled round of concurrent turns: the measured server had run the relay and
      // 10,000 sessions before its concurrent turns, so their code was compiled.
      concurrent(g, gcLog, g.createSessions(Math.min(n, 100), "warm-up "));
      List<String> sessions = g.createSessions(n, "profile ");
      String pid = Long.toString(g.pid());
      String jcmd = opt.javaHome() + "/bin/jcmd";
      Proc.run(jcmd, pid, "JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
      Pass concurrent = concurrent(g, gcLog, sessions);
      Proc.run(jcmd, pid, "JFR.stop", "name=bench");
      return new Result(single, concurrent, JfrStages.read(jfr));
    }
  }

  private Pass single(Goosed g, Path gcLog) throws Exception {
    String session = g.createSession("profile relay");
    for (int i = 0; i < 3; i++) turn(g, session, "pw" + i, 5);
    long gc0 = GcLog.offset(gcLog);
    ThreadCpu t0 = ThreadCpu.of(g.pid());
    CpuWindow.Start cpu0 = CpuWindow.start(g.pid());
    List<Long> added = new ArrayList<>();
    int turns = 25;
    for (int i = 0; i < turns; i++) added.addAll(turn(g, session, "ps" + i, 5));
    CpuWindow cpu = CpuWindow.since(cpu0, g.pid());
    return new Pass(
        "1 turn at a time",
        turns,
        Stats.of(added, 1e6),
        GcLog.since(gcLog, gc0),
        cpu,
        ThreadCpu.of(g.pid()).minus(t0));
  }

  private static List<Long> turn(Goosed g, String session, String id, long delayMs)
      throws IOException {
    TurnDriver.Result r =
        TurnDriver.run(g.port, session, TurnDriver.directive(id, 20, delayMs, true, ""), 120_000);
    if (!r.ok(20)) throw new IOException("profiled turn failed: " + r.outcome());
    return r.addedNanos();
  }

  private Pass concurrent(Goosed g, Path gcLog, List<String> sessions) throws Exception {
    long gc0 = GcLog.offset(gcLog);
    ThreadCpu t0 = ThreadCpu.of(g.pid());
    CpuWindow.Start cpu0 = CpuWindow.start(g.pid());
    ConcurrentLinkedQueue<Long> added = new ConcurrentLinkedQueue<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < sessions.size(); i++) {
        String session = sessions.get(i);
        String id = "pc" + i;
        pool.execute(
            () -> {
              try {
                added.addAll(turn(g, session, id, 100));
              } catch (IOException | RuntimeException e) {
                // a failed turn has no events to count; the measured figures report errors
              }
            });
      }
    }
    CpuWindow cpu = CpuWindow.since(cpu0, g.pid());
    return new Pass(
        sessions.size() + " concurrent turns",
        sessions.size(),
        Stats.of(List.copyOf(added), 1e6),
        GcLog.since(gcLog, gc0),
        cpu,
        ThreadCpu.of(g.pid()).minus(t0));
  }

  /** The passes side by side. */
  static ProfileTable passes(Result r) {
    ProfileTable.Builder t =
        ProfileTable.builder(
            "Two extra passes on one extra launch of goosed with `-Xlog:gc`, after the measurement"
                + " (the same turns as the relay and concurrency figures):",
            "",
            r.single().label(),
            r.concurrent().label());
    t.row("added latency per event p50 / p99 (ms)", p50p99(r.single()), p50p99(r.concurrent()));
    t.row(
        "wall time of the pass (s)",
        r.single().cpu().wallSeconds(),
        r.concurrent().cpu().wallSeconds());
    t.row("GC pauses: count", r.single().gc().count(), r.concurrent().gc().count());
    t.row("GC pauses: total (ms)", r.single().gc().totalMs(), r.concurrent().gc().totalMs());
    t.row("GC pauses: longest (ms)", r.single().gc().maxMs(), r.concurrent().gc().maxMs());
    t.row("goosed CPU (s)", r.single().cpu().goosed(), r.concurrent().cpu().goosed());
    t.row(
        "goosed CPU per turn (ms)",
        1000 * r.single().cpu().goosed() / r.single().turns(),
        1000 * r.concurrent().cpu().goosed() / r.concurrent().turns());
    t.row(
        "of goosed's CPU: JIT compiler threads / VM thread (GC, safepoints) (s)",
        jitVm(r.single()),
        jitVm(r.concurrent()));
    for (String who : List.of("goosed", "harness", "others", "idle"))
      t.row(
          "share of the " + r.single().cpu().cores() + " cores: " + label(who),
          share(r.single().cpu(), who),
          share(r.concurrent().cpu(), who));
    return t.build();
  }

  private static String label(String who) {
    return switch (who) {
      case "harness" -> "bench harness (clients, fake provider)";
      case "others" -> "other processes";
      default -> who;
    };
  }

  private static String share(CpuWindow c, String who) {
    double s =
        switch (who) {
          case "goosed" -> c.goosed();
          case "harness" -> c.harness();
          case "others" -> c.others();
          default -> c.idle();
        };
    return Report.number(c.share(s)) + " %";
  }

  private static String p50p99(Pass p) {
    return Report.number(p.events().p50()) + " / " + Report.number(p.events().p99());
  }

  private static String jitVm(Pass p) {
    return Report.number(p.goosedThreads().jit())
        + " / "
        + Report.number(p.goosedThreads().of(ThreadCpu.VM));
  }

  /** The concurrent pass's CPU samples by stage and its hottest methods. */
  static List<ProfileTable> jfr(Result r) {
    JfrStages.Profile p = r.jfr();
    ProfileTable.Builder stages =
        ProfileTable.builder(
            "goosed's CPU samples in the "
                + r.concurrent().label()
                + " pass by stage (JFR `jdk.ExecutionSample`, "
                + p.samples()
                + " samples of Java threads):",
            "stage",
            "share");
    p.byStage().entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .filter(e -> e.getValue() > 0)
        .forEach(e -> stages.row(e.getKey(), percent(p.share(e.getKey()))));
    ProfileTable.Builder top =
        ProfileTable.builder(
            "The goosed methods most often innermost on a sample's stack (the JDK and library code"
                + " under them counted in):",
            "method",
            "share");
    p.topFrames().entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(8)
        .forEach(
            e -> top.row("`" + e.getKey() + "`", percent((double) e.getValue() / p.samples())));
    return List.of(stages.build(), top.build());
  }

  static String percent(double share) {
    return Report.number(100 * share) + " %";
  }

  static String closeSingle(Result r) {
    Pass s = r.single();
    double p99 = s.events().p99();
    double others = s.cpu().share(s.cpu().others());
    boolean pauses = s.gc().maxMs() >= p99 / 2;
    boolean queue = others >= 25;
    String why =
        pauses && queue
            ? "Both show: pauses as long as the p99 stop every stream, and other work kept the"
                + " cores busy."
            : pauses
                ? "The pauses are as long as the p99: an event that arrives during one waits for it."
                : queue
                    ? "No pause is as long as the p99; the slow events waited for a core, which"
                        + " other processes kept busy."
                    : "Neither pauses nor other processes account for it: the slow events are"
                        + " goosed's own work per event.";
    return String.format(
        Locale.ROOT,
        "In the profiled pass one turn at a time saw a p99 of %s ms with %d GC pauses of up to %s"
            + " ms, while goosed used %s %% of the cores and other processes %s %%. %s What would"
            + " close it: no stop on the event path longer than 2 ms (young pauses under 2 ms: less"
            + " allocation per event, or a concurrent collector such as ZGC, whose threads and"
            + " memory cost RSS on 2 cores), cores not shared with other work, and then less CPU"
            + " per event ([docs/benchmarks.md](docs/benchmarks.md#p99-missed)).",
        Report.number(p99),
        s.gc().count(),
        Report.number(s.gc().maxMs()),
        Report.number(s.cpu().share(s.cpu().goosed())),
        Report.number(others),
        why);
  }

  static String closeConcurrent(Result r) {
    Pass c = r.concurrent();
    JfrStages.Profile p = r.jfr();
    List<Map.Entry<String, Integer>> top =
        p.byStage().entrySet().stream()
            .sorted(
                Map.Entry.<String, Integer>comparingByValue(Comparator.naturalOrder()).reversed())
            .limit(3)
            .toList();
    StringBuilder stages = new StringBuilder();
    for (Map.Entry<String, Integer> e : top)
      stages
          .append(stages.isEmpty() ? "" : ", ")
          .append(e.getKey())
          .append(' ')
          .append(percent(p.share(e.getKey())));
    double perTurnMs = 1000 * c.cpu().goosed() / c.turns();
    return String.format(
        Locale.ROOT,
        "In the profiled pass %d concurrent turns cost goosed %s ms of CPU each (%s s in all, %s s"
            + " of it in the JIT compilers; %s %% of the %d cores; the harness %s %%, other"
            + " processes %s %%, idle %s %%) and %d"
            + " GC pauses of up to %s ms (%s ms in all) stopped every stream. Events that arrive"
            + " while the cores are busy wait in line: the p99 is the queue, not one slow step."
            + " What would close it is less CPU per turn and event, starting with the largest"
            + " stages (%s), and fewer, shorter pauses (allocation per event)"
            + " ([docs/benchmarks.md](docs/benchmarks.md#concurrent-missed)).",
        c.turns(),
        Report.number(perTurnMs),
        Report.number(c.cpu().goosed()),
        Report.number(c.goosedThreads().jit()),
        Report.number(c.cpu().share(c.cpu().goosed())),
        c.cpu().cores(),
        Report.number(c.cpu().share(c.cpu().harness())),
        Report.number(c.cpu().share(c.cpu().others())),
        Report.number(c.cpu().share(c.cpu().idle())),
        c.gc().count(),
        Report.number(c.gc().maxMs()),
        Report.number(c.gc().totalMs()),
        stages);
  }
}

package goose.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * After every figure is measured: for each target the run missed, a profile captured now (an extra
 * launch or pass, so no measured figure is disturbed) and what would close the gap. {@code
 * -Dbench.explain=all} profiles every target the run measured, met or not (to check the profiles);
 * {@code -Dbench.explain=off} none. Not in {@code --smoke}.
 */
final class Explainer {
  private final BenchOptions opt;
  private final FakeProvider fake;
  private final Results results;

  Explainer(BenchOptions opt, FakeProvider fake, Results results) {
    this.opt = opt;
    this.fake = fake;
    this.results = results;
  }

  static boolean enabled(BenchOptions opt) {
    String mode = System.getProperty("bench.explain", "");
    return mode.equals("all") || (!opt.smoke() && !mode.equals("off"));
  }

  void run() {
    boolean all = System.getProperty("bench.explain", "").equals("all");
    Map<Target, List<Results.Row>> rows = new LinkedHashMap<>();
    for (Results.Row r : results.rows) {
      if (r.met().isEmpty() || (r.met().get() && !all)) continue;
      rows.computeIfAbsent(Target.of(r), t -> new ArrayList<>()).add(r);
    }
    LatencyProfile latency = new LatencyProfile(opt, fake);
    for (Target t : Target.values()) {
      if (!rows.containsKey(t)) continue;
      List<String> measured = rows.get(t).stream().map(Explainer::measured).toList();
      long t0 = System.nanoTime();
      Explanation e;
      try {
        e = explain(t, measured, latency);
      } catch (Exception | AssertionError ex) {
        e =
            new Explanation(
                t, measured, List.of(), "The profile could not be captured in this run: " + ex);
      }
      results.explanations.add(e);
      System.out.printf("  profiled %-52s (%.1f s)%n", t.title, (System.nanoTime() - t0) / 1e9);
    }
  }

  private Explanation explain(Target t, List<String> measured, LatencyProfile latency)
      throws Exception {
    return switch (t) {
      case START_UP -> new StartupProfile(opt, fake).explain(measured);
      case MEMORY -> new MemoryProfile(opt, fake).explain(measured);
      case COLD_REPLY, RELAY_RATIO ->
          new ColdReplyProfile(opt, fake, new ServerBench(opt, fake, results)).explain(t, measured);
      case P99_ONE_TURN -> {
        LatencyProfile.Result r = latency.result();
        yield new Explanation(
            t, measured, List.of(LatencyProfile.passes(r)), LatencyProfile.closeSingle(r));
      }
      case P99_CONCURRENT -> {
        LatencyProfile.Result r = latency.result();
        List<ProfileTable> tables = new ArrayList<>();
        tables.add(LatencyProfile.passes(r));
        tables.addAll(LatencyProfile.jfr(r));
        yield new Explanation(t, measured, tables, LatencyProfile.closeConcurrent(r));
      }
      case TOOL_CALL -> new ToolProfile(opt, fake, results).explain(measured);
      case OTHER ->
          new Explanation(
              t,
              measured,
              List.of(),
              "No profile is captured for these figures; docs/benchmarks.md describes each.");
    };
  }

  private static String measured(Results.Row r) {
    return r.metric()
        + ": "
        + Report.number(r.value())
        + " "
        + r.unit()
        + ", target "
        + r.target()
        + (r.met().orElse(false) ? " (met)" : "")
        + ", load "
        + r.load();
  }
}

package goose.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/bench}: starts the fake provider, drives goosed (a real process, through bin/goosed)
 * and, in a full run, the peers and the JMH micro-benchmarks; prints the figures, writes
 * bench/results/*.json and regenerates BENCHMARKS.md. A section that fails is recorded as not
 * measured, never aborts the run.
 */
public final class BenchMain {
  private BenchMain() {}

  /** One part of the run. */
  private interface Section {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
    Path scratch = Files.createTempDirectory("goose-bench");
    BenchOptions opt;
    try {
      opt = BenchOptions.parse(args, repo, scratch);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    Instant at = Instant.now();
    Map<String, String> machine = Report.machine();
    System.out.println("goosed benchmarks (" + (opt.smoke() ? "smoke" : "full") + ") " + machine);
    Results results = new Results();
    int failures = 0;
    try (FakeProvider fake = new FakeProvider()) {
      ServerBench server = new ServerBench(opt, fake, results);
      StoreBench store = new StoreBench(opt, results);
      if (opt.runs("start-up")) failures += section(results, "start-up", server::startup);
      if (opt.runs("server")) failures += section(results, "server", server::main);
      if (opt.runs("store")) {
        Path[] filled = new Path[1];
        failures += section(results, "store SQLite", () -> filled[0] = store.sqlite());
        if (filled[0] != null)
          failures += section(results, "api", () -> store.overHttp(filled[0], fake));
        failures += section(results, "store PostgreSQL", store::postgres);
      }
      if (opt.runs("tools"))
        failures += section(results, "tools", new ToolBench(opt, fake, results)::run);
      if (opt.runs("browser"))
        failures += section(results, "browser", new BrowserBench(opt, fake, results)::run);
      if (!opt.smoke() && opt.runs("caching"))
        failures += section(results, "prompt caching", new CacheBench(opt, fake, results)::run);
      if (opt.peers() && opt.runs("peers"))
        failures += section(results, "peers", new PeerBench(opt, fake, server, results)::run);
      if (opt.jmh() && opt.runs("jmh"))
        failures += section(results, "jmh", () -> Jmh.run(opt, results));
      if (Explainer.enabled(opt))
        failures +=
            section(results, "profiles of missed targets", new Explainer(opt, fake, results)::run);
    } finally {
      if (!Boolean.getBoolean("bench.keep")) deleteQuietly(scratch);
    }
    Report.printPeers(results);
    ExplainReport.print(results);
    Path json = Report.writeJson(results, opt, at, machine);
    System.out.println("\nresults: " + json);
    if (opt.writeMarkdown()) {
      Report.writeMarkdown(results, repo.resolve("BENCHMARKS.md"), at, machine);
      System.out.println("rewrote " + repo.resolve("BENCHMARKS.md"));
    }
    System.exit(opt.smoke() && failures > 0 ? 1 : 0);
  }

  private static int section(Results results, String name, Section section) {
    System.out.println("\n== " + name);
    long t0 = System.nanoTime();
    try {
      section.run();
      System.out.printf("   (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
      return 0;
    } catch (Exception | AssertionError e) {
      results.problem(name, e.getClass().getSimpleName() + ": " + e.getMessage());
      return 1;
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // a temp dir left behind is harmless
    }
  }
}

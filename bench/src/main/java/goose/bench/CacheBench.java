package goose.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What prompt caching saves: one turn of a 10-step tool loop (the fake asks for the shell ten
 * times, then answers) over a prefix of about 20,000 tokens (system prompt, tools and a large
 * {@code .goosehints}), through goosed with caching on and off and through goose, all against the
 * fake provider's Anthropic API, which bills every request as Anthropic does ({@link
 * PromptCacheSim}). The figures are the input tokens billed at the full price, written to the cache
 * (1.25 times the price) and read from it (a tenth).
 */
final class CacheBench {
  static final int STEPS = 10;

  /**
   * Characters of project hints (.goosehints up to 60,000, the rest in AGENTS.md; goosed reads at
   * most 64 KB of one hint file): with the system prompt and tools, goosed's prefix is then about
   * 20,000 tokens.
   */
  static final int HINT_CHARS = 73_500;

  private static final int GOOSEHINTS_CHARS = 60_000;

  private static final String MODEL = "claude-sonnet-4-5";

  private final BenchOptions opt;
  private final FakeProvider fake;
  private final Results results;

  CacheBench(BenchOptions opt, FakeProvider fake, Results results) {
    this.opt = opt;
    this.fake = fake;
    this.results = results;
  }

  void run() throws Exception {
    Path dir = opt.scratch().resolve("caching");
    Path work = Files.createDirectories(dir.resolve("work"));
    String hints = hints();
    Files.writeString(work.resolve(".goosehints"), hints.substring(0, GOOSEHINTS_CHARS));
    Files.writeString(work.resolve("AGENTS.md"), hints.substring(GOOSEHINTS_CHARS));
    results.cacheRows.add(goosed(dir, work, true));
    results.cacheRows.add(goosed(dir, work, false));
    if (opt.peers()) {
      try {
        results.cacheRows.add(goose(dir, work));
      } catch (Exception e) {
        results.peerStatus.put("goose (prompt caching)", "not measured: " + e.getMessage());
      }
    }
    for (Results.CacheRow row : results.cacheRows) System.out.println("  " + row);
  }

  private Results.CacheRow goosed(Path dir, Path work, boolean caching) throws Exception {
    String id = "cache-" + (caching ? "on" : "off");
    Map<String, String> env = new java.util.HashMap<>(fake.anthropicEnv(MODEL));
    env.put("GOOSE_SESSION_TITLES", "false");
    env.put("GOOSE_PROMPT_CACHING", Boolean.toString(caching));
    try (Goosed g = Goosed.start(opt.repo(), dir.resolve("goosed-" + id), fake, "", env)) {
      Net.Reply r =
          Net.post(g.url("/sessions"), "{\"cwd\":" + WireFormat.quote(work.toString()) + "}");
      String session = TurnDriver.field(r.body(), "id");
      TurnDriver.Result turn =
          TurnDriver.run(g.port, session, "Run the loop. " + directive(id), 300_000);
      if (!turn.ok(1)) throw new IOException("goosed turn failed: " + turn.outcome());
    }
    return row("goosed, caching " + (caching ? "on" : "off"), id);
  }

  private Results.CacheRow goose(Path dir, Path work) throws Exception {
    Path binary =
        Peers.install(
            dir.resolve("npm-goose"),
            Peers.GOOSE_PACKAGE,
            "@aaif/goose-binary-linux-x64/bin/goose");
    String id = "cache-goose";
    ProcessBuilder pb =
        Peers.isolated(
                List.of(
                    binary.toString(),
                    "run",
                    "--no-session",
                    "-t",
                    "Run the loop. " + directive(id)),
                dir.resolve("goose-home"),
                dir.resolve("goose-run.log"))
            .directory(work.toFile());
    pb.environment().putAll(fake.anthropicEnv(MODEL));
    pb.environment().putAll(Peers.GOOSE_QUIET);
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      Proc.stop(p, 1000);
      throw new IOException("goose run did not finish in 300 s");
    }
    if (p.exitValue() != 0) throw new IOException("goose run exited with " + p.exitValue());
    return row(
        "goose " + Peers.GOOSE_PACKAGE.substring(Peers.GOOSE_PACKAGE.lastIndexOf('@') + 1), id);
  }

  private Results.CacheRow row(String system, String id) throws IOException {
    FakeProvider.Tally t =
        fake.tally(id).orElseThrow(() -> new IOException(system + ": no call reached the fake"));
    if (t.calls() != STEPS + 1)
      throw new IOException(system + ": " + t.calls() + " model calls, expected " + (STEPS + 1));
    return new Results.CacheRow(
        system, t.calls(), t.firstInput(), t.input(), t.cacheWrite(), t.cacheRead());
  }

  static String directive(String id) {
    return "[bench id=" + id + " loop=" + STEPS + "]";
  }

  /** Plain project notes, varied enough not to compress into nothing. */
  static String hints() {
    StringBuilder sb = new StringBuilder("# Project notes\n\n");
    for (int i = 1; sb.length() < HINT_CHARS; i++) {
      sb.append("- Note ")
          .append(i)
          .append(": module m")
          .append(i % 37)
          .append(" keeps its tests in src/test/m")
          .append(i % 37)
          .append("; run them with `make test-m")
          .append(i % 37)
          .append("` before committing, and keep functions under ")
          .append(20 + i % 30)
          .append(" lines.\n");
    }
    return sb.toString();
  }
}

package goose.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * goosed, goose and opencode side by side against the same fake provider: start-up, idle memory,
 * memory after 100 sessions, session creation, and a 3,000-chunk reply cold and warm. A peer that
 * cannot be installed or driven gets n/a in the table and the reason in the report.
 */
final class PeerBench {
  private static final String[] METRICS = {
    "start-up to first 200, median of 3",
    "RSS idle",
    "RSS after 100 sessions",
    "session creation p50",
    "3,000-chunk reply, cold (first reply)",
    "3,000-chunk reply, warm (median of 5)"
  };
  private static final String[] UNITS = {"s", "MB", "MB", "ms", "s", "s"};
  private static final int CHUNKS = 3000;

  private final BenchOptions opt;
  private final FakeProvider fake;
  private final Results results;

  PeerBench(BenchOptions opt, FakeProvider fake, ServerBench unused, Results results) {
    this.opt = opt;
    this.fake = fake;
    this.results = results;
  }

  void run() {
    Path dir = opt.scratch().resolve("peers");
    Map<String, double[]> figures = new LinkedHashMap<>();
    double[] ours = measure(new Peers.Ours(opt, fake), dir);
    figures.put("goosed", ours);
    results.target(
        "side by side", "goosed: RSS after 100 sessions", ours[2], "MB", 90, "side-by-side run");
    results.target(
        "side by side",
        "goosed: 3,000-chunk reply, the first after start (cold)",
        ours[4],
        "s",
        0.15,
        "side-by-side run");
    Peers.Goose goose = null;
    try {
      goose =
          new Peers.Goose(
              Peers.install(
                  dir.resolve("npm-goose"),
                  Peers.GOOSE_PACKAGE,
                  "@aaif/goose-binary-linux-x64/bin/goose"),
              fake);
      figures.put("goose", measure(goose, dir));
    } catch (Exception e) {
      results.peerStatus.put("goose", "not measured: " + e.getMessage());
      figures.put("goose", nan());
    }
    try {
      Path bin =
          Peers.install(
              dir.resolve("npm-opencode"),
              Peers.OPENCODE_PACKAGE,
              "opencode-linux-x64/bin/opencode");
      figures.put("opencode", measure(new Peers.Opencode(bin, fake), dir));
    } catch (Exception e) {
      results.peerStatus.put("opencode", "not measured: " + e.getMessage());
      figures.put("opencode", nan());
    }
    for (int i = 0; i < METRICS.length; i++) {
      results.peerRows.add(
          new Results.PeerRow(
              METRICS[i],
              UNITS[i],
              figures.get("goosed")[i],
              figures.get("goose")[i],
              figures.get("opencode")[i]));
    }
    results.peerRows.add(
        new Results.PeerRow(
            "echo tool call (MCP stdio), tool_call -> result p50",
            "ms",
            results.goosedToolCallP50,
            gooseToolCall(goose, dir),
            Double.NaN));
    if (goose != null) {
      try {
        double t = goose.run(dir.resolve("goose-run-home"), TurnDriver.burst(CHUNKS));
        results.add(
            "peers",
            "goose run -t (one headless " + CHUNKS + "-chunk turn, launch to exit)",
            t,
            "s");
      } catch (Exception e) {
        results.note("peers", "goose run -t", "not measured: " + e.getMessage());
      }
    }
  }

  /**
   * goose's echo tool call p50 in ms (server-everything given to its ACP session), NaN with the
   * reason recorded when it cannot be measured. opencode is not measured: its MCP servers come from
   * its config file, and its API reports no per-call times.
   */
  private double gooseToolCall(Peers.@Nullable Goose goose, Path dir) {
    Path everything =
        opt.repo()
            .resolve(
                "testing/mcp-servers/node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    if (goose == null || !Files.exists(everything)) return Double.NaN;
    Path home = dir.resolve("goose-tool-home");
    Process p = null;
    try {
      Files.createDirectories(home);
      int port = Net.freePort();
      p = goose.start(home, port);
      if (Net.awaitOk("http://127.0.0.1:" + port + goose.readyPath(), p, Duration.ofMinutes(2)) < 0)
        throw Peer.failed("no 200 within 120 s", p);
      goose.connect(port);
      return Stats.of(goose.toolCalls(home, everything, opt.smoke() ? 5 : 30), 1e6).p50();
    } catch (Exception e) {
      results.peerStatus.merge(
          "goose", "; echo tool call not measured: " + e.getMessage(), String::concat);
      return Double.NaN;
    } finally {
      if (p != null) Proc.stop(p, 10_000);
    }
  }

  private static double[] nan() {
    double[] v = new double[METRICS.length];
    java.util.Arrays.fill(v, Double.NaN);
    return v;
  }

  /** All figures of one peer; a failure part-way leaves the rest n/a and is recorded. */
  private double[] measure(Peer peer, Path dir) {
    double[] v = nan();
    Path home = dir.resolve(peer.name() + "-home");
    String loadAtStart = Report.load();
    Process p = null;
    int step = 0;
    try {
      List<Long> starts = new ArrayList<>();
      int port = 0;
      for (int i = 0;
          i < 4;
          i++) { // the first start creates the peer's files; the next three are timed
        port = Net.freePort();
        long t0 = System.nanoTime();
        p = peer.start(home, port);
        long ok =
            Net.awaitOk("http://127.0.0.1:" + port + peer.readyPath(), p, Duration.ofMinutes(2));
        if (ok < 0) throw Peer.failed("no 200 on " + peer.readyPath() + " within 120 s", p);
        if (i > 0) starts.add(ok - t0);
        if (i < 3) {
          Proc.stop(p, 10_000);
          p = null;
        }
      }
      v[step++] = Stats.of(starts, 1e9).p50();
      peer.connect(port);
      Thread.sleep(2000);
      v[step++] =
          Proc.treeRssBytes(Objects.requireNonNull(p, "the last start runs").pid()) / 1024.0 / 1024;
      List<Long> create = new ArrayList<>();
      List<String> sessions = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        long t0 = System.nanoTime();
        sessions.add(peer.createSession(home));
        create.add(System.nanoTime() - t0);
      }
      Thread.sleep(1000);
      v[step++] =
          Proc.treeRssBytes(Objects.requireNonNull(p, "the last start runs").pid()) / 1024.0 / 1024;
      v[step++] = Stats.of(create, 1e6).p50();
      String prompt = TurnDriver.burst(CHUNKS);
      long t0 = System.nanoTime();
      peer.reply(sessions.get(0), prompt);
      v[step++] = (System.nanoTime() - t0) / 1e9;
      for (int i = 1; i <= 2; i++) peer.reply(sessions.get(i), prompt);
      List<Long> warm = new ArrayList<>();
      for (int i = 3; i < 8; i++) {
        long w0 = System.nanoTime();
        peer.reply(sessions.get(i), prompt);
        warm.add(System.nanoTime() - w0);
      }
      v[step] = Stats.of(warm, 1e9).p50();
      results.peerStatus.put(
          peer.name(), "ok (load average " + loadAtStart + " -> " + Report.load() + ")");
    } catch (Exception e) {
      results.peerStatus.put(
          peer.name(), "stopped at '" + METRICS[Math.min(step, METRICS.length - 1)] + "': " + e);
    } finally {
      if (p != null) Proc.stop(p, 10_000);
    }
    System.out.printf("  %-10s %s%n", peer.name(), java.util.Arrays.toString(v));
    return v;
  }
}

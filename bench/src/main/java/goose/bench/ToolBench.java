package goose.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One MCP stdio tool call (server-everything's echo) through goosed — the fake provider asks for
 * it, the time is tool_call event to tool_result event — against the same call made directly with
 * the MCP SDK.
 */
final class ToolBench {
  private static final Duration IDLE = Duration.ofMillis(20);

  private final BenchOptions opt;
  private final FakeProvider fake;
  private final Results results;

  ToolBench(BenchOptions opt, FakeProvider fake, Results results) {
    this.opt = opt;
    this.fake = fake;
    this.results = results;
  }

  void run() throws Exception {
    String s = "tools";
    Path server =
        opt.repo()
            .resolve(
                "testing/mcp-servers/node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    if (!Files.exists(server)) {
      results.problem(
          s, "server-everything is not installed (bin/bench runs npm ci in testing/mcp-servers)");
      return;
    }
    int calls = Integer.getInteger("bench.toolCalls", opt.smoke() ? 5 : 30);
    String yaml =
        "extensions:\n  everything:\n    type: stdio\n    enabled: true\n    cmd: node\n    args: [\""
            + server
            + "\", \"stdio\"]\n";
    String against = System.getProperty("bench.toolsAgainst", "");
    if (!against.isEmpty()) {
      interleaved(s, yaml, server, calls, Path.of(against).toAbsolutePath().normalize());
      return;
    }
    // The default configuration (GOOSE_AUTH none, so GOOSE_SANDBOX=auto means off) and the same
    // with the sandbox on, their turns alternating so that both see the same machine.
    long[][] both = sandboxAlternating(s, yaml, calls);
    long[] through = both[0];
    long[] sandboxed = both[1];
    long[] direct = new long[calls];
    try (McpSyncClient client = directClient(server)) {
      client.initialize();
      McpSchema.CallToolRequest req = echoRequest();
      for (int i = -3; i < calls; i++) {
        long t0 = System.nanoTime();
        client.callTool(req);
        if (i >= 0) direct[i] = System.nanoTime() - t0;
      }
    }
    Stats t = Stats.of(through, 1e6);
    Stats d = Stats.of(direct, 1e6);
    results.goosedToolCallP50 = t.p50();
    results.add(s, "echo through goosed (tool_call -> tool_result event), p50", t.p50(), "ms");
    results.add(s, "echo through goosed, p99", t.p99(), "ms");
    Stats b = Stats.of(sandboxed, 1e6);
    results.add(s, "echo through goosed, GOOSE_SANDBOX=on (bubblewrap), p50", b.p50(), "ms");
    results.add(s, "echo through goosed, GOOSE_SANDBOX=on (bubblewrap), p99", b.p99(), "ms");
    results.add(s, "echo directly with the MCP Java SDK, p50", d.p50(), "ms");
    results.target(s, "echo through goosed / direct (p50)", t.p50() / d.p50(), "x", 2, "");
  }

  /**
   * A/B at equal load: this checkout's goosed and {@code other}'s (another checkout of the project,
   * built, e.g. the commit before a change) run side by side, and their echo turns alternate, so
   * both see the same machine; on 2 shared cores separate runs a minute apart differ by more than
   * most changes do.
   */
  private void interleaved(String s, String yaml, Path server, int calls, Path other)
      throws Exception {
    long[] here = new long[calls];
    long[] there = new long[calls];
    long[] direct = new long[calls];
    long[] idle = new long[calls];
    long[] loop = new long[calls];
    McpSchema.CallToolRequest req = echoRequest();
    // -Dbench.toolsSandbox=on: both with the sandbox on (server-everything shown read-only)
    Map<String, String> env =
        "on".equals(System.getProperty("bench.toolsSandbox", "")) ? sandboxOn() : Map.of();
    try (Goosed a = Goosed.start(opt.repo(), opt.scratch().resolve(s + "-a"), fake, yaml, env);
        Goosed b = Goosed.start(other, opt.scratch().resolve(s + "-b"), fake, yaml, env);
        McpSyncClient client = directClient(server)) {
      client.initialize();
      String sa = a.createSession("tools");
      String sb = b.createSession("tools");
      for (int i = -3; i < calls; i++) {
        boolean aFirst = (i & 1) == 0;
        long first = echoTurn(aFirst ? a : b, aFirst ? sa : sb);
        long t0 = System.nanoTime();
        client.callTool(req);
        long d = System.nanoTime() - t0;
        long second = echoTurn(aFirst ? b : a, aFirst ? sb : sa);
        Thread.sleep(IDLE.toMillis()); // the machine settles: a call after a pause, as in a turn
        long t1 = System.nanoTime();
        client.callTool(req);
        long e = System.nanoTime() - t1;
        if (i < 0) continue;
        here[i] = aFirst ? first : second;
        there[i] = aFirst ? second : first;
        direct[i] = d;
        idle[i] = e;
      }
      for (int i = 0; i < calls; i++) {
        long t0 = System.nanoTime();
        client.callTool(req);
        loop[i] = System.nanoTime() - t0;
      }
    }
    Stats h = Stats.of(here, 1e6);
    Stats t = Stats.of(there, 1e6);
    Stats d = Stats.of(direct, 1e6);
    Stats e = Stats.of(idle, 1e6);
    Stats l = Stats.of(loop, 1e6);
    results.add(s, "echo through goosed (this checkout, interleaved), p50", h.p50(), "ms");
    results.add(s, "echo through goosed (this checkout, interleaved), p99", h.p99(), "ms");
    results.add(s, "echo through goosed (" + other + ", interleaved), p50", t.p50(), "ms");
    results.add(s, "echo through goosed (" + other + ", interleaved), p99", t.p99(), "ms");
    results.add(s, "echo directly with the MCP Java SDK (interleaved), p50", d.p50(), "ms");
    results.add(
        s,
        "echo directly, after " + IDLE.toMillis() + " ms idle (interleaved), p50",
        e.p50(),
        "ms");
    results.add(s, "echo directly, back to back (after the rest), p50", l.p50(), "ms");
    results.add(s, "this checkout / direct (p50)", h.p50() / d.p50(), "x");
    results.add(s, other + " / direct (p50)", t.p50() / d.p50(), "x");
  }

  static McpSchema.CallToolRequest echoRequest() {
    return McpSchema.CallToolRequest.builder("echo")
        .arguments(Map.of("message", "bench echo"))
        .build();
  }

  static McpSyncClient directClient(Path server) {
    ServerParameters params =
        ServerParameters.builder("node").args(server.toString(), "stdio").build();
    return McpClient.sync(
            new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper())))
        .requestTimeout(Duration.ofSeconds(30))
        .build();
  }

  static long echoTurn(Goosed g, String session) throws IOException {
    TurnDriver.Result r =
        TurnDriver.run(
            g.port, session, TurnDriver.directive("", 1, 0, false, "everything__echo"), 60_000);
    if (!r.ok(1) || r.toolCallNanos() == 0 || r.toolResultNanos() == 0) {
      throw new IOException(
          "tool turn failed: status "
              + r.status()
              + ", stop "
              + r.outcome()
              + ", tool events "
              + (r.toolCallNanos() > 0)
              + "/"
              + (r.toolResultNanos() > 0));
    }
    return r.toolResultNanos() - r.toolCallNanos();
  }

  /** GOOSE_SANDBOX=on, with server-everything and the packages it imports shown read-only. */
  private Map<String, String> sandboxOn() throws IOException {
    Path modules = opt.repo().resolve("testing/mcp-servers/node_modules").toRealPath();
    return Map.of("GOOSE_SANDBOX", "on", "GOOSE_SANDBOX_READ_ONLY", modules.toString());
  }

  /**
   * tool_call to tool_result event times of {@code calls} echo turns in one session of a goosed in
   * its default configuration (index 0: with GOOSE_AUTH none the sandbox is off) and of one with
   * GOOSE_SANDBOX=on (index 1, server-everything's files shown read-only), turns alternating.
   */
  private long[][] sandboxAlternating(String s, String yaml, int calls) throws Exception {
    long[] plain = new long[calls];
    long[] boxed = new long[calls];
    Map<String, String> on = sandboxOn();
    try (Goosed a = Goosed.start(opt.repo(), opt.scratch().resolve(s), fake, yaml, Map.of());
        Goosed b =
            Goosed.start(opt.repo(), opt.scratch().resolve(s + "-sandbox"), fake, yaml, on)) {
      String sa = a.createSession("tools");
      String sb = b.createSession("tools");
      for (int i = -3; i < calls; i++) {
        boolean aFirst = (i & 1) == 0;
        long first = echoTurn(aFirst ? a : b, aFirst ? sa : sb);
        long second = echoTurn(aFirst ? b : a, aFirst ? sb : sa);
        if (i < 0) continue;
        plain[i] = aFirst ? first : second;
        boxed[i] = aFirst ? second : first;
      }
    }
    return new long[][] {plain, boxed};
  }
}

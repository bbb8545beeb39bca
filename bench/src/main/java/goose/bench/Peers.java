package goose.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The three servers side by side: goosed, goose ({@code goose serve}, ACP) and opencode ({@code
 * opencode serve}).
 */
final class Peers {
  /**
   * What the real goose needs besides its provider to run unattended here: no keyring, no
   * telemetry.
   */
  static final Map<String, String> GOOSE_QUIET =
      Map.of("GOOSE_DISABLE_KEYRING", "true", "GOOSE_TELEMETRY_ENABLED", "false");

  static final String GOOSE_PACKAGE = "@aaif/goose-binary-linux-x64@1.52.0";
  static final String OPENCODE_PACKAGE = "opencode-ai@1.18.33";

  private Peers() {}

  /**
   * npm-installs {@code pkg} into {@code dir}; answers the installed file {@code binary} (relative
   * to node_modules).
   */
  static Path install(Path dir, String pkg, String binary)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Process p =
        new ProcessBuilder(
                "npm",
                "install",
                "--prefix",
                dir.toString(),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                pkg)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(
          "npm install "
              + pkg
              + " failed: "
              + Goosed.tail(new String(out, java.nio.charset.StandardCharsets.UTF_8)).strip());
    }
    Path bin = dir.resolve("node_modules").resolve(binary);
    if (!Files.isExecutable(bin)) throw new IOException("npm install " + pkg + " gave no " + bin);
    return bin;
  }

  /** A clean environment whose HOME and XDG directories are under {@code home}. */
  static ProcessBuilder isolated(List<String> command, Path home, Path log) throws IOException {
    Files.createDirectories(home);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("GOOSE_")
                    || k.endsWith("_API_KEY")
                    || k.endsWith("_HOST")
                    || k.startsWith("XDG_")
                    || k.startsWith("OPENCODE"));
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
    env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
    env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    return pb;
  }

  /** goosed itself, through bin/goosed. */
  static final class Ours implements Peer {
    private final BenchOptions opt;
    private final FakeProvider fake;
    private int port;

    Ours(BenchOptions opt, FakeProvider fake) {
      this.opt = opt;
      this.fake = fake;
    }

    @Override
    public String name() {
      return "goosed";
    }

    @Override
    public Process start(Path home, int port) throws Exception {
      this.port = port;
      Files.createDirectories(home);
      ProcessBuilder pb = Goosed.command(opt.repo(), home, port, fake, Map.of());
      return pb.start();
    }

    @Override
    public String readyPath() {
      return "/status";
    }

    @Override
    public String createSession(Path cwd) throws Exception {
      Net.Reply r =
          Net.post(
              "http://127.0.0.1:" + port + "/sessions",
              "{\"cwd\":" + WireFormat.quote(cwd.toString()) + "}");
      return TurnDriver.field(r.body(), "id");
    }

    @Override
    public void reply(String session, String prompt) throws Exception {
      TurnDriver.Result r = TurnDriver.run(port, session, prompt, 120_000);
      if (!r.ok(1)) throw new IOException("goosed turn failed: " + r.status() + " " + r.outcome());
    }
  }

  /** The real goose: {@code goose serve}, ACP over HTTP, Anthropic wire format to the fake. */
  static final class Goose implements Peer {
    private static final String SECRET = "bench-secret-0123456789";
    private final Path binary;
    private final FakeProvider fake;
    private @Nullable AcpClient acp; // once the server runs

    Goose(Path binary, FakeProvider fake) {
      this.binary = binary;
      this.fake = fake;
    }

    @Override
    public String name() {
      return "goose";
    }

    @Override
    public Process start(Path home, int port) throws Exception {
      ProcessBuilder pb =
          isolated(
              List.of(
                  binary.toString(),
                  "serve",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port)),
              home,
              home.resolve("../goose-" + port + ".log").normalize());
      // goose reads environment values as YAML
      pb.environment().putAll(fake.anthropicEnv("bench-model"));
      pb.environment().putAll(GOOSE_QUIET);
      pb.environment().put("GOOSE_SERVER__SECRET_KEY", SECRET);
      return pb.start();
    }

    @Override
    public String readyPath() {
      return "/status";
    }

    @Override
    public void connect(int port) throws Exception {
      AcpClient client = new AcpClient(port, SECRET);
      client.initialize();
      acp = client;
    }

    @Override
    public String createSession(Path cwd) throws Exception {
      return connected().newSession(cwd.toString());
    }

    @Override
    public void reply(String session, String prompt) throws Exception {
      String stop = connected().prompt(session, prompt);
      if (!stop.equals("end_turn")) throw new IOException("goose prompt ended with " + stop);
    }

    /**
     * One MCP echo call per turn through goose, {@code calls} turns after 3 unmeasured ones, in a
     * session given server-everything ({@code everythingJs}) as an ACP stdio MCP server: the time
     * from its tool_call update to the update that finished the call, in nanoseconds each.
     */
    long[] toolCalls(Path cwd, Path everythingJs, int calls) throws Exception {
      AcpClient client = connected();
      String session =
          client.newSession(
              cwd.toString(),
              "[{\"name\":\"everything\",\"command\":\"node\",\"args\":["
                  + WireFormat.quote(everythingJs.toString())
                  + ",\"stdio\"],\"env\":[]}]");
      long[] spans = new long[calls];
      for (int i = -3; i < calls; i++) {
        client.resetToolTimes();
        reply(session, TurnDriver.directive("", 1, 0, false, "echo"));
        long span = client.lastToolCallNanos();
        if (span == 0) throw new IOException("goose made no finished echo tool call in the turn");
        if (i >= 0) spans[i] = span;
      }
      return spans;
    }

    private AcpClient connected() {
      return Objects.requireNonNull(acp, "connect() first");
    }

    /**
     * {@code goose run -t TEXT}: one headless turn as a process; answers the seconds from launch to
     * exit.
     */
    double run(Path home, String text) throws Exception {
      ProcessBuilder pb =
          isolated(
              List.of(binary.toString(), "run", "--no-session", "-t", text),
              home,
              home.resolve("../goose-run.log").normalize());
      pb.environment().putAll(fake.anthropicEnv("bench-model"));
      pb.environment().putAll(GOOSE_QUIET);
      long t0 = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        Proc.stop(p, 1000);
        throw new IOException("goose run did not finish in 120 s");
      }
      if (p.exitValue() != 0) throw new IOException("goose run exited with " + p.exitValue());
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  /** opencode's headless server, with a custom OpenAI-compatible provider pointed at the fake. */
  static final class Opencode implements Peer {
    private final Path binary;
    private final FakeProvider fake;
    private int port;

    Opencode(Path binary, FakeProvider fake) {
      this.binary = binary;
      this.fake = fake;
    }

    @Override
    public String name() {
      return "opencode";
    }

    @Override
    public Process start(Path home, int port) throws Exception {
      this.port = port;
      Path config = home.resolve(".config/opencode/opencode.json");
      Files.createDirectories(config.getParent());
      Files.writeString(
          config,
          """
          {"$schema": "https://opencode.ai/config.json",
           "provider": {"bench": {"npm": "@ai-sdk/openai-compatible", "name": "Bench",
             "options": {"baseURL": "%s/v1", "apiKey": "sk-bench"}, "models": {"bench-model": {"name": "Bench model"}}}},
           "model": "bench/bench-model", "small_model": "bench/bench-model", "autoupdate": false, "share": "disabled"}
          """
              .formatted(fake.baseUrl()));
      ProcessBuilder pb =
          isolated(
              List.of(
                  binary.toString(),
                  "serve",
                  "--port",
                  Integer.toString(port),
                  "--hostname",
                  "127.0.0.1"),
              home,
              home.resolve("../opencode-" + port + ".log").normalize());
      pb.environment()
          .putAll(
              Map.of(
                  "OPENCODE_DISABLE_AUTOUPDATE",
                  "true",
                  "OPENCODE_DISABLE_MODELS_FETCH",
                  "true",
                  "OPENCODE_DISABLE_LSP_DOWNLOAD",
                  "true"));
      return pb.start();
    }

    @Override
    public String readyPath() {
      return "/doc";
    }

    @Override
    public String createSession(Path cwd) throws Exception {
      Net.Reply r = Net.post("http://127.0.0.1:" + port + "/session", "{}");
      if (r.status() != 200) throw new IOException("POST /session: " + r.status() + " " + r.body());
      return TurnDriver.field(r.body(), "id");
    }

    @Override
    public void reply(String session, String prompt) throws Exception {
      Net.Reply r =
          Net.post(
              "http://127.0.0.1:" + port + "/session/" + session + "/message",
              "{\"model\":{\"providerID\":\"bench\",\"modelID\":\"bench-model\"},\"parts\":[{\"type\":\"text\",\"text\":"
                  + WireFormat.quote(prompt)
                  + "}]}");
      if (r.status() != 200 || !r.body().contains("\"finish\":\"stop\"")) {
        throw new IOException("opencode message: " + r.status() + " " + Goosed.tail(r.body()));
      }
    }
  }
}

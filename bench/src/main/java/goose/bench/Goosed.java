package goose.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * goosed as a real process started through its launcher {@code bin/goosed}, on its own root
 * directory (config, SQLite file, logs), pointed at the fake provider over the OpenAI wire format.
 */
final class Goosed implements AutoCloseable {
  final Process process;
  final int port;
  final Path root;

  /** Launch to the first 200 on /status, in seconds. */
  final double startSeconds;

  /**
   * CPU time (user + system) the server used until then, in seconds: start-up cost that does not
   * depend on machine load.
   */
  final double startCpuSeconds;

  /**
   * Launch to the first 200 on {@code GET /sessions}, in seconds: the server answers {@code
   * /status} while its store and services open, and every other request once they are.
   */
  final double readySeconds;

  private Goosed(
      Process process,
      int port,
      Path root,
      double startSeconds,
      double startCpuSeconds,
      double readySeconds) {
    this.process = process;
    this.port = port;
    this.root = root;
    this.startSeconds = startSeconds;
    this.startCpuSeconds = startCpuSeconds;
    this.readySeconds = readySeconds;
  }

  /** Starts goosed; {@code configYaml} (may be empty) becomes its config.yaml. */
  static Goosed start(
      Path repo, Path root, FakeProvider fake, String configYaml, Map<String, String> extraEnv)
      throws IOException {
    Files.createDirectories(root.resolve("config"));
    if (!configYaml.isEmpty()) Files.writeString(root.resolve("config/config.yaml"), configYaml);
    int port = Net.freePort();
    ProcessBuilder pb = command(repo, root, port, fake, extraEnv);
    long t0 = System.nanoTime();
    Process p = pb.start();
    long ok = Net.awaitOk("http://127.0.0.1:" + port + "/status", p, Duration.ofMinutes(2));
    if (ok < 0) {
      Proc.stop(p, 2000);
      String out =
          Files.exists(root.resolve("goosed.out"))
              ? Files.readString(root.resolve("goosed.out"))
              : "";
      throw new IOException("goosed did not answer /status: " + tail(out));
    }
    double cpu = Proc.cpuSeconds(p.pid());
    long ready =
        Net.awaitOk("http://127.0.0.1:" + port + "/sessions?limit=1", p, Duration.ofMinutes(2));
    return new Goosed(p, port, root, (ok - t0) / 1e9, cpu, (Math.max(ready, ok) - t0) / 1e9);
  }

  /**
   * The bin/goosed command with its own environment: root, port, the fake provider over the OpenAI
   * format.
   */
  static ProcessBuilder command(
      Path repo, Path root, int port, FakeProvider fake, Map<String, String> extraEnv) {
    ProcessBuilder pb =
        new ProcessBuilder(repo.resolve("bin/goosed").toString())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("goosed.out").toFile());
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(k -> k.startsWith("GOOSE_") || k.endsWith("_API_KEY") || k.endsWith("_HOST"));
    env.putAll(
        Map.of(
            "GOOSE_PATH_ROOT",
            root.toString(),
            "GOOSE_PORT",
            Integer.toString(port),
            "GOOSE_HOST",
            "127.0.0.1",
            "GOOSE_PROVIDER",
            "openai",
            "OPENAI_HOST",
            fake.baseUrl(),
            "OPENAI_API_KEY",
            "sk-bench",
            "GOOSE_MODEL",
            "bench-model",
            "GOOSE_LOG",
            "warn"));
    // One local user drives thousands of turns, requests and event streams: lift the per-user
    // limits for the measurements.
    env.putAll(
        Map.of(
            "GOOSE_RATE_LIMIT",
            "0",
            "GOOSE_MAX_TURNS_PER_USER",
            "10000",
            "GOOSE_MAX_RUNNING_TURNS",
            "100000",
            "GOOSE_MAX_STREAMS_PER_USER",
            "100000"));
    env.putAll(extraEnv);
    return pb;
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  long pid() {
    return process.pid();
  }

  long rss() {
    return Proc.rssBytes(pid());
  }

  /** Creates a session and answers its id. */
  String createSession(String name) throws IOException, InterruptedException {
    Net.Reply r =
        Net.post(url("/sessions"), "{\"name\":\"" + name + "\",\"cwd\":\"" + root + "\"}");
    if (r.status() != 201 && r.status() != 200)
      throw new IOException("POST /sessions: " + r.status() + " " + r.body());
    int i = r.body().indexOf("\"id\":\"");
    return r.body().substring(i + 6, r.body().indexOf('"', i + 6));
  }

  /** Creates {@code n} sessions named {@code prefix + i}, 16 requests at a time; their ids. */
  List<String> createSessions(int n, String prefix) throws Exception {
    Semaphore gate = new Semaphore(16);
    List<String> sessions = new ArrayList<>(n);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = prefix + i;
        fs.add(
            pool.submit(
                () -> {
                  gate.acquire();
                  try {
                    return createSession(name);
                  } finally {
                    gate.release();
                  }
                }));
      }
      for (Future<String> f : fs) sessions.add(f.get());
    }
    return sessions;
  }

  @Override
  public void close() {
    Proc.stop(process, 10_000);
  }

  static String tail(String s) {
    return s.length() > 1500 ? s.substring(s.length() - 1500) : s;
  }
}

package goose.cli;

import goose.json.Json;
import goose.provider.fake.FakeOpenAiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the server's AOT cache (JDK 25, JEP 483/514/515), run by {@code
 * bin/aot-train}: starts the server through the real launcher {@code bin/goosed} on a throw-away
 * root with {@code -XX:AOTCacheOutput=CACHE}, points it at the test fake of the OpenAI wire format,
 * asks what clients ask first (status, the web UI, the API document, sessions, config), runs a few
 * streamed turns and one developer shell tool call, and stops it with SIGTERM; the JVM writes the
 * cache as it exits. The launcher uses the same class path and flags, so the classes it loaded and
 * linked, and the method profiles, are the ones later starts find in the cache.
 *
 * <p>Usage: {@code AotTraining REPO_ROOT CACHE_FILE}. Exits non-zero, naming the step, when the
 * server does not start, a turn fails or no cache was written.
 */
final class AotTraining {
  private static final Duration START_DEADLINE = Duration.ofMinutes(2);
  private static final Duration STOP_DEADLINE = Duration.ofMinutes(3);

  private AotTraining() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: AotTraining REPO_ROOT CACHE_FILE");
      System.exit(2);
    }
    Path repo = Path.of(args[0]).toAbsolutePath();
    Path cache = Path.of(args[1]).toAbsolutePath();
    Files.deleteIfExists(cache);
    Path root = Files.createTempDirectory("goose-aot-train-");
    try (FakeOpenAiServer provider = new FakeOpenAiServer()) {
      train(repo, cache, root, provider);
    } finally {
      deleteTree(root);
    }
    if (!Files.isRegularFile(cache) || Files.size(cache) == 0) fail("no AOT cache written");
    System.err.printf(
        "aot-train: %d MB AOT cache at %s%n", Files.size(cache) >> 20, repo.relativize(cache));
  }

  private static void train(Path repo, Path cache, Path root, FakeOpenAiServer provider)
      throws Exception {
    int port = freePort();
    Path log = root.resolve("goosed.log");
    Path work = Files.createDirectories(root.resolve("work"));
    ProcessBuilder pb =
        new ProcessBuilder(repo.resolve("bin/goosed").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("GOOSE_") || k.endsWith("_API_KEY"));
    env.putAll(
        Map.ofEntries(
            // The cache is written by this run: no other archive may be mapped meanwhile.
            Map.entry("GOOSE_AOT", "off"),
            Map.entry("GOOSE_CDS", "off"),
            Map.entry("JAVA_OPTS", "-XX:AOTCacheOutput=" + cache),
            Map.entry("HOME", root.toString()),
            Map.entry("GOOSE_PATH_ROOT", root.toString()),
            Map.entry("GOOSE_HOST", "127.0.0.1"),
            Map.entry("GOOSE_PORT", Integer.toString(port)),
            Map.entry("GOOSE_PROVIDER", "openai"),
            Map.entry("GOOSE_MODEL", "gpt-4o"),
            Map.entry("OPENAI_HOST", provider.baseUri().toString()),
            Map.entry("OPENAI_API_KEY", "sk-aot-training"),
            // The fake answers in order: no title request may take a turn's reply.
            Map.entry("GOOSE_SESSION_TITLES", "false"),
            // A training run on a build machine: the shell command is a fixed `echo`.
            Map.entry("GOOSE_SANDBOX", "off"),
            Map.entry("GOOSE_LOG", "warn")));
    Process server = pb.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + port + "/");
      awaitStatus(base, server, log);
      for (String path : List.of("/", "/openapi.json", "/sessions", "/config", "/extensions"))
        Http.get(base, path);
      String session = Http.createSession(base, work);
      Http.get(base, "/sessions/" + session);
      for (int turn = 0; turn < 3; turn++) {
        provider.enqueue(FakeOpenAiServer.text(chunks(300)));
        turn(base, session, "say something", log);
      }
      provider.enqueueToolCall(
          "developer__shell", Json.write(Json.object().put("command", "echo trained")));
      String toolTurn = turn(base, session, "run it", log);
      if (!toolTurn.contains("tool_result")) fail("the tool turn had no tool_result", log);
      Http.get(base, "/sessions/" + session);
      Http.get(base, "/sessions?limit=50");
    } finally {
      server.destroy(); // SIGTERM: the JVM assembles the cache on its way out
      if (!server.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        server.destroyForcibly();
        fail("the server did not stop within " + STOP_DEADLINE, log);
      }
    }
  }

  private static String turn(URI base, String session, String text, Path log) throws IOException {
    Http.Response r =
        Http.post(
            base,
            "/sessions/" + session + "/messages",
            "{\"content\":" + Json.write(text) + "}",
            "text/event-stream");
    if (r.status() != 200 || !r.body().contains("message_complete"))
      fail("turn failed: " + r.status() + " " + tail(r.body()), log);
    return r.body();
  }

  private static String[] chunks(int n) {
    List<String> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) parts.add("word" + i + " ");
    return parts.toArray(String[]::new);
  }

  private static void awaitStatus(URI base, Process server, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) fail("the server exited before serving /status", log);
      try {
        if (Http.get(base, "/status").status() == 200) return;
      } catch (RuntimeException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    fail("no 200 from /status within " + START_DEADLINE, log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void fail(String message, Path log) throws IOException {
    System.err.println(tail(Files.exists(log) ? Files.readString(log) : ""));
    fail(message);
  }

  private static void fail(String message) {
    System.err.println("aot-train: " + message);
    System.exit(1);
  }

  private static String tail(String s) {
    return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

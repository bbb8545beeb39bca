package goose.extension;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import goose.config.Config;
import goose.conversation.Content;
import goose.json.Json;
import goose.sandbox.ProcessTree;
import goose.testing.Repo;
import goose.tool.ToolContext;
import goose.tool.ToolNotifications;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.LoggerFactory;

/**
 * The real MCP servers the tests run: the npm reference servers pinned in testing/mcp-servers
 * (installed with {@code npm ci} on first use when node_modules is missing) and a small misbehaving
 * server.
 */
public final class TestServers {
  static {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.INFO);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.modelcontextprotocol"))
        .setLevel(Level.WARN);
  }

  private TestServers() {}

  /**
   * The JUnit resource that stands for the server-everything processes below this test JVM (test
   * classes run side by side): a class that starts them holds it shared ({@code @ResourceLock(value
   * = EVERYTHING_PROCESSES, mode = READ)}), a class that counts them holds it alone, so no class
   * running beside it changes the count.
   */
  public static final String EVERYTHING_PROCESSES = "server-everything processes of the test JVM";

  /** node_modules of the fixture, running {@code npm ci} once if it is missing. */
  public static synchronized Path nodeModules() {
    Path dir = Repo.path("testing/mcp-servers");
    Path marker = dir.resolve("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
    if (!Files.exists(marker)
        || !Files.exists(
            dir.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js"))) {
      try {
        Process npm =
            new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefix", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
          throw new IllegalStateException(
              "`npm ci --prefix " + dir + "` failed; install the test MCP servers by hand");
        }
      } catch (IOException e) {
        throw new IllegalStateException(
            "the extension tests need node and npm on PATH: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return dir.resolve("node_modules");
  }

  public static String everythingJs() {
    return nodeModules()
        .resolve("@modelcontextprotocol/server-everything/dist/index.js")
        .toString();
  }

  public static String filesystemJs() {
    return nodeModules()
        .resolve("@modelcontextprotocol/server-filesystem/dist/index.js")
        .toString();
  }

  static String misbehavingJs() {
    try {
      return Path.of(TestServers.class.getResource("/mcp/misbehaving-server.cjs").toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static com.fasterxml.jackson.databind.node.ObjectNode stdio(String name, String... args) {
    var node = Json.object().put("name", name).put("type", "stdio").put("cmd", "node");
    var a = node.putArray("args");
    for (String s : args) a.add(s);
    return node;
  }

  static Config config(Path home) {
    return Config.load(Map.of("GOOSE_PATH_ROOT", home.toString()), home);
  }

  static ToolContext context(Path workingDir) {
    return new ToolContext("alice", "s1", workingDir);
  }

  static ToolContext context(Path workingDir, ToolNotifications notifications) {
    return new ToolContext("alice", "s1", workingDir, notifications);
  }

  static Content.ToolRequest request(String tool, String argsJson) {
    return new Content.ToolRequest(
        "call-1", tool, (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(argsJson));
  }

  /**
   * Starts the everything server over HTTP ({@code streamableHttp} or {@code sse}) on
   * 127.0.0.1:port; waits until it listens.
   */
  public static Process serveEverything(String mode, int port)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(ProcessTree.inOwnGroup(java.util.List.of("node", everythingJs(), mode)));
    pb.environment().put("PORT", Integer.toString(port));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try {
      await()
          .atMost(java.time.Duration.ofSeconds(30))
          .pollInterval(java.time.Duration.ofMillis(100))
          .until(
              () -> {
                try {
                  new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port).close();
                  return true;
                } catch (IOException notYet) {
                  return false;
                }
              });
      return p;
    } catch (ConditionTimeoutException e) {
      ProcessTree.terminate(p, java.time.Duration.ofSeconds(2));
      throw new IllegalStateException(
          "everything server (" + mode + ") did not listen on " + port, e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a pid is a live process (a zombie awaiting its reaper counts as gone). */
  public static boolean alive(long pid) {
    Path stat = Path.of("/proc/" + pid + "/stat");
    try {
      String s = Files.readString(stat);
      char state = s.charAt(s.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits up to 10 s for the process to end; the caller asserts (a live one fails there). */
  static void awaitDead(long pid) {
    try {
      await()
          .atMost(java.time.Duration.ofSeconds(10))
          .pollInterval(java.time.Duration.ofMillis(50))
          .until(() -> !alive(pid));
    } catch (ConditionTimeoutException stillAlive) {
      // the caller's assertion names the process
    }
  }
}

package goose.server;

import static org.awaitility.Awaitility.await;

import goose.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real goosed in its own JVM ({@link ServerMainForTests}), so that it can be killed for real
 * ({@code kill -9}: no shutdown hook, no clean-up) and run beside other instances as separate
 * processes. Its directories are under {@code root}; its output goes to {@code root/out.txt}.
 *
 * <p>It starts without {@link ChildJvm}'s class archive: goose-server's tests start only a handful
 * of such JVMs (InstanceIdentityTest, MultiInstanceTest, ServerLifecycleTest), fewer than the
 * archive's training run costs (a server start and the dump, about 7 s of CPU, against 1.2-1.6 s
 * saved per start; docs/benchmarks.md).
 */
final class ServerProcess implements AutoCloseable {
  final Path root;
  final Process process;

  private ServerProcess(Path root, Process process) {
    this.root = root;
    this.process = process;
  }

  /** Starts it; call {@link #awaitStarted} before using it. */
  static ServerProcess start(Path root, Map<String, String> env) {
    try {
      Files.createDirectories(root);
      Files.deleteIfExists(root.resolve("port"));
      ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(ServerMainForTests.class.getName()));
      // As in TestServer: a title request after a first exchange would take the next scripted
      // reply of the fake provider, so titles are on only where a test asks for them.
      pb.environment().put("GOOSE_SESSION_TITLES", "false");
      // Stopping pays no fixed delay for the test client's idle keep-alive connections.
      pb.environment().put("GOOSE_SHUTDOWN_IDLE_MS", "1");
      pb.environment().putAll(env);
      pb.environment().put("GOOSE_PATH_ROOT", root.toString());
      pb.environment().put("GOOSE_PORT", "0");
      pb.environment().put("GOOSE_HOST", "127.0.0.1");
      pb.environment().put("HOME", root.toString());
      pb.redirectErrorStream(true).redirectOutput(root.resolve("out.txt").toFile());
      return new ServerProcess(root, pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until it listens; its client. Fails when it exits first or takes longer than max. */
  ApiClient awaitStarted(Duration max) {
    Path portFile = root.resolve("port");
    try {
      await()
          .atMost(max)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (Files.exists(portFile)) return true;
                if (!process.isAlive())
                  throw new AssertionError(
                      "instance exited with "
                          + process.exitValue()
                          + " before listening:\n"
                          + output());
                return false;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("instance not listening within " + max + ":\n" + output(), e);
    }
    return new ApiClient(uri());
  }

  URI uri() {
    try {
      return URI.create("http://127.0.0.1:" + Files.readString(root.resolve("port")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String output() {
    try {
      return Files.readString(root.resolve("out.txt"));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** Waits for it to exit by itself; its exit code. */
  int awaitExit(Duration max) throws InterruptedException {
    if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS))
      throw new AssertionError("instance still running after " + max + ":\n" + output());
    return process.exitValue();
  }

  /** SIGKILL, with the processes it started (tool processes). */
  void kill() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    children.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package goose.cli;

import static org.awaitility.Awaitility.await;

import goose.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real {@code goose} command line in its own JVM, as a person or a script runs it: its own
 * process (pid, exit code, signals), the environment given (HOME set to {@code home}, no {@code
 * -Duser.home}: the CLI must find it from $HOME), stdout and stderr to files read while it runs.
 */
final class CliProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private CliProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code goose ARGS} with {@code env} added to this JVM's environment. */
  static CliProcess start(Path home, Map<String, String> env, String... args) {
    List<String> command = command(args);
    try {
      Files.createDirectories(home);
      Path logs = Files.createTempDirectory(home, "cli-");
      Path out = logs.resolve("stdout.txt");
      Path err = logs.resolve("stderr.txt");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      pb.environment().put("HOME", home.toString());
      // A server's title request after a first exchange would take the next queued reply of a
      // test's fake provider: titles are on only where a test asks for them.
      pb.environment().put("GOOSE_SESSION_TITLES", "false");
      pb.environment().putAll(env);
      Process process = pb.start();
      process.getOutputStream().close();
      return new CliProcess(process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The command line of {@code goose ARGS} in a JVM of this test's class path. */
  static List<String> command(String... args) {
    trainArchive();
    return ChildJvm.command(Main.class.getName(), args);
  }

  /**
   * Starts the training run of the class archive for child JVMs ({@link ChildJvm#train}): a {@code
   * goose server} start. {@link TrainChildJvmArchive} calls it as the test JVM starts.
   */
  static void trainArchive() {
    ChildJvm.train(
        Main.class.getName(),
        List.of("server"),
        Map.of("GOOSE_PORT", "0", "GOOSE_HOST", "127.0.0.1"),
        training -> read(training.resolve("out.txt")).contains("listening on"));
  }

  /**
   * Starts a second {@code goose server} with {@code env} and checks that it is refused (exit 1)
   * naming the pid of {@code first}, which holds the store; its stderr.
   */
  static String refusedSecondServer(
      Path home, Map<String, String> env, CliProcess first, Duration timeout)
      throws InterruptedException {
    try (CliProcess second = start(home, env, "server")) {
      int exit = second.awaitExit(timeout);
      if (exit != ExitCodes.FAILURE
          || !second.err().contains("already in use by pid " + first.pid()))
        throw new AssertionError(
            "a second server was not refused (exit " + exit + "):\n" + second.err());
      return second.err();
    }
  }

  /** Runs {@code goose ARGS} to its end (at most {@code timeout}). */
  static CliProcess run(Path home, Map<String, String> env, Duration timeout, String... args)
      throws InterruptedException {
    CliProcess p = start(home, env, args);
    p.awaitExit(timeout);
    return p;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String out() {
    return read(stdout);
  }

  String err() {
    return read(stderr);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the process to end; its exit code. Fails the test when it does not end in time. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
      throw new AssertionError(
          "goose did not exit within " + timeout + "; stderr so far:\n" + err());
    return process.exitValue();
  }

  /**
   * Waits until a started {@code goose server} logs where it listens; its base URI. Fails when it
   * exits first or takes longer than {@code timeout}.
   */
  URI awaitListening(Duration timeout) {
    try {
      return await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                Optional<URI> uri = listening();
                if (uri.isEmpty() && !process.isAlive())
                  throw new AssertionError(
                      "goose server exited with "
                          + process.exitValue()
                          + " before listening:\n"
                          + err());
                return uri;
              },
              Optional::isPresent)
          .orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("goose server not listening within " + timeout + ":\n" + err(), e);
    }
  }

  private Optional<URI> listening() {
    Matcher m = LISTENING.matcher(err() + out());
    return m.find() ? Optional.of(URI.create(m.group(1))) : Optional.empty();
  }

  /** SIGTERM, as a service manager stops it; its exit code. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return awaitExit(timeout);
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    children.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

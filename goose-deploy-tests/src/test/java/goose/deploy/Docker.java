package goose.deploy;

import goose.testing.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Docker engine of this machine through its own command-line clients, {@code /usr/bin/docker}
 * (20.10, BuildKit built in: another {@code docker} earlier on PATH may want a buildx plugin) and
 * {@code docker-compose}, run as the documentation tells users to run them. The container tests
 * call {@link #require()} first: without an engine they are skipped, saying so, unless {@code
 * GOOSE_CONTAINER_TESTS=required} (CI), where that is a failure.
 */
final class Docker {
  static final String REQUIRED_ENV = "GOOSE_CONTAINER_TESTS";
  private static final Path CLIENT =
      Path.of(System.getenv().getOrDefault("GOOSE_DOCKER", "/usr/bin/docker"));
  private static volatile String unavailable;

  private Docker() {}

  record Result(List<String> command, int exit, String out, String err) {
    /** The output, or an assertion error with the command, its exit code and both streams. */
    String ok() {
      if (exit != 0) throw new AssertionError(describe());
      return out.strip();
    }

    String describe() {
      return String.join(" ", command)
          + " exited "
          + exit
          + "\n--- stdout\n"
          + out
          + "\n--- stderr\n"
          + err;
    }
  }

  /** Skips the calling test (or fails it, in CI) when no engine answers. */
  static void require() {
    String reason = unavailableReason();
    if (reason.isEmpty()) return;
    String message =
        "no Docker engine: "
            + reason
            + ". The container tests need one (as root: `dockerd >/var/log/dockerd.log 2>&1 &`;"
            + " bash .ci/run starts it and always runs them).";
    if ("required".equals(System.getenv(REQUIRED_ENV)))
      throw new AssertionError(message + " " + REQUIRED_ENV + "=required: failing.");
    Assumptions.abort(message);
  }

  /** True when an engine answers (the first call asks it; the answer is kept). */
  static boolean available() {
    return unavailableReason().isEmpty();
  }

  private static String unavailableReason() {
    String known = unavailable;
    if (known != null) return known;
    String reason;
    if (!Files.isExecutable(CLIENT))
      reason = CLIENT + " is not installed (apt-get install docker.io)";
    else {
      Result version =
          run(
              Duration.ofSeconds(30),
              List.of("version", "--format", "{{.Server.Version}}"),
              Map.of());
      reason =
          version.exit() == 0
              ? ""
              : "`docker version` cannot reach the engine: " + version.err().strip();
    }
    unavailable = reason;
    return reason;
  }

  /** A fresh name for a test's own Docker objects (volumes, a Compose project). */
  static String uniqueName() {
    return "goosed-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Result docker(Duration timeout, String... args) {
    return run(timeout, List.of(args), Map.of());
  }

  static String ok(String... args) {
    return docker(Duration.ofMinutes(2), args).ok();
  }

  static Result run(Duration timeout, List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(CLIENT.toString());
    command.addAll(args);
    return exec(command, env, timeout);
  }

  /** docker-compose (1.29, or another given by GOOSE_COMPOSE) with this project and files. */
  static Result compose(
      Duration timeout, String project, List<Path> files, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(System.getenv().getOrDefault("GOOSE_COMPOSE", "docker-compose"));
    command.add("--project-name");
    command.add(project);
    command.add("--project-directory");
    command.add(Repo.ROOT.toString());
    for (Path file : files) {
      command.add("--file");
      command.add(file.toString());
    }
    command.addAll(List.of(args));
    return exec(command, env, timeout);
  }

  static Result exec(List<String> command, Map<String, String> env, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(Repo.ROOT.toFile());
    pb.environment().put("DOCKER_BUILDKIT", "1");
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + "\n--- stderr\n"
                + err.getNow(""));
      }
      return new Result(List.copyOf(command), p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static CompletableFuture<String> drain(java.io.InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        Thread::startVirtualThread);
  }
}

package goose.clients;

import goose.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The npm fixture testing/openapi-clients (linters, the TypeScript generator and compiler), pinned
 * by its package-lock.json and installed by bin/test; the committed openapi.json; and a way to run
 * a fixture tool and keep what it printed.
 */
final class Fixture {
  private Fixture() {}

  static Path openApiJson() {
    return Repo.path("openapi.json");
  }

  /**
   * node_modules of the fixture; fails with the command to run when it is not installed (a test
   * that quietly skips would pass without checking anything).
   */
  static Path nodeModules() {
    Path dir = Repo.path("testing/openapi-clients");
    Path modules = dir.resolve("node_modules");
    if (!Files.exists(modules.resolve(".package-lock.json"))) {
      throw new IllegalStateException(
          "the npm fixture is not installed: run bin/test, or npm ci --prefix " + dir);
    }
    return modules;
  }

  /** Runs a fixture package's script, e.g. ("typescript", "bin/tsc", "-p", "."), in {@code dir}. */
  static Run tool(Path dir, String npmPackage, String script, String... args) {
    Path path = nodeModules().resolve(npmPackage).resolve(script);
    if (!Files.exists(path)) throw new IllegalStateException("missing " + path);
    List<String> scriptAndArgs = new ArrayList<>(List.of(path.toString()));
    scriptAndArgs.addAll(List.of(args));
    return node(dir, scriptAndArgs);
  }

  /** What a tool printed: standard output and standard error apart (JSON reports go to stdout). */
  record Run(int exitCode, String stdout, String stderr) {
    String both() {
      return stdout + (stderr.isEmpty() ? "" : "\n" + stderr);
    }
  }

  /**
   * Runs {@code node SCRIPT ARGS...} in {@code dir}. Output goes to files, so a chatty child never
   * stalls on a full pipe and a hung one is killed after five minutes.
   */
  static Run node(Path dir, List<String> scriptAndArgs) {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.addAll(scriptAndArgs);
    try {
      Path out = Files.createTempFile("node-out", ".txt");
      Path err = Files.createTempFile("node-err", ".txt");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("REDOCLY_TELEMETRY", "off");
        pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process process = pb.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
          process.destroyForcibly().waitFor();
          throw new IllegalStateException("still running after 5 minutes: " + command);
        }
        return new Run(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run node (install Node.js): " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package goose.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the real {@code goose} command line in-process with an injected environment and home. */
final class CliRun {
  /** What one run left behind. */
  record Result(int exitCode, String out, String err) {}

  private final Path home;
  private final Map<String, String> env = new HashMap<>();

  CliRun(Path home) {
    this.home = home;
  }

  CliRun env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Result run(String... args) {
    return runWithInput("", args);
  }

  Result runWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliEnvironment environment =
        new CliEnvironment(
            env,
            home,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = Main.run(environment, args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path configFile() {
    return home.resolve(".config/goose/config.yaml");
  }

  Path secretsFile() {
    return home.resolve(".config/goose/secrets.yaml");
  }
}

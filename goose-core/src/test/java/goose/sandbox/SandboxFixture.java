package goose.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server's files laid out as on a real host, under one temporary root: its config dir with
 * secrets, its data dir with a store, its state dir with logs, and two users' workspaces; plus a
 * sandbox opened with that configuration. Needs bwrap (Debian package bubblewrap).
 */
final class SandboxFixture {
  static final String SECRET = "sk-fixture-secret-0123456789";

  final Path root;
  final Config config;
  final Path alice;
  final Path bob;
  final Sandbox sandbox;

  /** What one command printed and how it ended. */
  record Run(int exitCode, String output, java.util.Optional<String> limitReached) {}

  SandboxFixture(Path root, String... settings) {
    this.root = root;
    try {
      Map<String, String> env = new HashMap<>();
      env.put("GOOSE_PATH_ROOT", root.resolve("server").toString());
      env.put("GOOSE_SANDBOX", "on");
      for (int i = 0; i < settings.length; i += 2) env.put(settings[i], settings[i + 1]);
      config = Config.load(env, Files.createDirectories(root.resolve("home")));
      Path configDir = Files.createDirectories(config.paths().configDir());
      Files.writeString(configDir.resolve("secrets.yaml"), "OPENAI_API_KEY: " + SECRET + "\n");
      Path sessions = Files.createDirectories(config.paths().sessionsDir());
      Files.writeString(sessions.resolve("sessions.db"), "a store");
      Files.writeString(
          Files.createDirectories(config.paths().logsDir()).resolve("goosed.log"), "a log");
      alice = Files.createDirectories(root.resolve("workspaces/alice")).toRealPath();
      bob = Files.createDirectories(root.resolve("workspaces/bob")).toRealPath();
      Files.writeString(bob.resolve("private.txt"), "bob's private notes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    requireBwrap();
    sandbox = Sandbox.open(config, SandboxSettings.from(config, "tokens", true));
    assertThat(sandbox.confining()).isTrue();
  }

  static void requireBwrap() {
    assertThat(Bubblewrap.find("bwrap", SandboxSettings.DEFAULT_PATH))
        .as("these tests need bubblewrap: apt-get install bubblewrap (bash .ci/run installs it)")
        .isPresent();
  }

  /** Runs {@code bash -c line} through the door in alice's workspace. */
  Run bash(String line) {
    return run(List.of("bash", "-c", line), Map.of());
  }

  Run run(List<String> command, Map<String, String> env) {
    return run(command, env, ToolLaunch.Kind.SESSION);
  }

  Run run(List<String> command, Map<String, String> env, ToolLaunch.Kind kind) {
    try {
      ToolProcess p =
          sandbox.start(
              new ToolLaunch(command, alice, env, ToolLaunch.Streams.MERGED_WITHOUT_INPUT, kind));
      byte[] out = p.process().getInputStream().readAllBytes();
      assertThat(p.process().waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
      return new Run(
          p.process().exitValue(), new String(out, StandardCharsets.UTF_8), p.limitReached());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

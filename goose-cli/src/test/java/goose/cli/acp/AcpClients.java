package goose.cli.acp;

import com.fasterxml.jackson.databind.JsonNode;
import goose.cli.Main;
import goose.json.Json;
import goose.testing.ChildJvm;
import goose.testing.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ACP clients of testing/acp-client (the official SDK's scenario, acpx, the RFD probes) run as
 * Node processes, and the command line of {@code goose acp} as a child JVM on this test's class
 * path. The fixture is installed by bin/test ({@code npm ci}); without it these tests fail saying
 * so.
 */
final class AcpClients {
  static final Path FIXTURE = Repo.path("testing/acp-client");
  private static final long TIMEOUT_SECONDS = 180;

  private AcpClients() {}

  /** What a client process printed and how it ended. */
  record Run(int exitCode, String out, String err) {
    JsonNode json() {
      String last = out.strip();
      int nl = last.lastIndexOf('\n');
      return Json.parse(nl >= 0 ? last.substring(nl + 1) : last);
    }
  }

  /**
   * {@code java ... goose.cli.Main acp ARGS}: this build's {@code goose acp}, as every child JVM of
   * the tests ({@link ChildJvm}: C1 alone, the class archive of a {@code goose server} start). It
   * ran with C2 and without the archive, on the test JVM's class path of directories: 2-3 s more
   * CPU per start.
   */
  static List<String> gooseAcp(String... args) {
    List<String> cmd = new ArrayList<>(List.of("acp"));
    cmd.addAll(List.of(args));
    return ChildJvm.command(Main.class.getName(), cmd.toArray(String[]::new));
  }

  /** Runs {@code node SCRIPT ARGS} in the fixture with {@code env} added, waiting for it to end. */
  static Run node(Map<String, String> env, Path cwd, String script, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("node", FIXTURE.resolve(script).toString()));
    cmd.addAll(args);
    return run(env, cwd, cmd);
  }

  /** Runs a binary of the fixture's node_modules/.bin. */
  static Run bin(Map<String, String> env, Path cwd, String name, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of(FIXTURE.resolve("node_modules/.bin/" + name).toString()));
    cmd.addAll(args);
    return run(env, cwd, cmd);
  }

  static Run run(Map<String, String> env, Path cwd, List<String> cmd)
      throws IOException, InterruptedException {
    requireFixture();
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile("acp-client", ".out");
    Path err = Files.createTempFile("acp-client", ".err");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(
            String.join(" ", cmd.subList(0, Math.min(3, cmd.size())))
                + " did not finish within "
                + TIMEOUT_SECONDS
                + " s; its stderr:\n"
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Run(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.descendants().forEach(ProcessHandle::destroy);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static void requireFixture() {
    if (!Files.isDirectory(FIXTURE.resolve("node_modules/@agentclientprotocol/sdk")))
      throw new AssertionError(
          "the ACP client fixture is not installed: run bin/test, or npm ci --prefix " + FIXTURE);
  }
}

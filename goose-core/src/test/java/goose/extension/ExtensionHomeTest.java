package goose.extension;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.config.Config;
import goose.conversation.Content;
import goose.json.Json;
import goose.sandbox.Sandbox;
import goose.sandbox.SandboxSettings;
import goose.sandbox.ToolLaunch;
import goose.sandbox.ToolProcess;
import goose.tool.ToolContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stdio extension holding an admin's secret ({@code env_keys}) runs in a user's workspace (the
 * real bwrap sandbox, a real python3 MCP server): code the user planted there, in the workspace's
 * {@code ~/.local} (Python's user site, {@code usercustomize.py}) or in the working directory (a
 * {@code sitecustomize.py}, a {@code json.py} shadowing the standard library), does not run in it,
 * because the extension's HOME is a private tmpfs and Python neither adds the user site nor the
 * working directory to {@code sys.path}. The extension still works and gets its secret; the
 * session's own processes (the shell) keep the workspace as HOME.
 */
@Timeout(120)
class ExtensionHomeTest {
  private static final String TOKEN = "ghp_ADMIN_ONLY_TOKEN_for_the_test";

  @TempDir Path root;
  Sandbox sandbox;
  ExtensionManager manager;
  Path workspace;

  @BeforeEach
  void start() throws Exception {
    Path program = Files.createDirectories(root.resolve("ext"));
    try (InputStream in =
        Objects.requireNonNull(getClass().getResourceAsStream("/mcp/echo-server.py"))) {
      Files.copy(in, program.resolve("echo-server.py"));
    }
    Config config =
        Config.load(
            Map.of(
                "GOOSE_PATH_ROOT",
                root.resolve("server").toString(),
                "GOOSE_SANDBOX",
                "on",
                "GOOSE_SANDBOX_READ_ONLY",
                program.toRealPath().toString(),
                "DEMO_TOKEN",
                TOKEN),
            root);
    sandbox = Sandbox.open(config, SandboxSettings.from(config, "tokens", true));
    assertThat(sandbox.confining()).as("these tests need bubblewrap").isTrue();
    manager =
        new ExtensionManager(config, List.of(), sandbox, Allowlist.none(), Duration.ofMillis(200));
    workspace = Files.createDirectories(root.resolve("workspaces/alice/p")).toRealPath();
    plant(workspace);

    // python3 -c puts the working directory first on sys.path (as -m does): the launch a
    // one-line wrapper or a module run would use.
    ObjectNode demo = Json.object().put("name", "demo").put("type", "stdio").put("cmd", "python3");
    demo.putArray("args")
        .add("-c")
        .add(
            "import runpy; runpy.run_path('"
                + program.toRealPath().resolve("echo-server.py")
                + "', run_name='__main__')");
    demo.putArray("env_keys").add("DEMO_TOKEN");
    manager.addOrUpdate(demo);
  }

  @AfterEach
  void stop() {
    if (manager != null) manager.close();
  }

  /** Code in the workspace that, if it ever runs, writes the secret it sees into a marker file. */
  private static void plant(Path workspace) throws Exception {
    String version =
        run(List.of("python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])")).strip();
    Path userSite =
        Files.createDirectories(
            workspace.resolve(".local/lib/python" + version + "/site-packages"));
    Files.writeString(userSite.resolve("usercustomize.py"), leak(workspace, "usercustomize"));
    Files.writeString(userSite.resolve("evil.pth"), "import usercustomize\n");
    Files.writeString(workspace.resolve("sitecustomize.py"), leak(workspace, "sitecustomize"));
    Files.writeString(workspace.resolve("json.py"), leak(workspace, "json"));
  }

  private static String leak(Path workspace, String name) {
    return "import os\nopen('"
        + workspace.resolve("leaked-by-" + name)
        + "', 'w').write(repr(os.environ.get('DEMO_TOKEN')))\n";
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void codePlantedInTheWorkspaceDoesNotRunInTheExtensionAndTheShellKeepsItsHome() throws Exception {
    ToolContext alice = new ToolContext("alice", "a1", workspace);
    Content.ToolResponse echo =
        manager.call(alice, TestServers.request("demo__echo", "{\"text\":\"hi\"}"));

    try (var files = Files.list(workspace)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no planted code ran in the extension")
          .noneMatch(f -> f.startsWith("leaked-by-"));
    }
    assertThat(echo.isError()).as(echo.text()).isFalse();
    assertThat(echo.text())
        .startsWith("echo: hi;")
        .contains("token=set")
        .contains("home-writable=True")
        .doesNotContain("home=" + workspace);
    assertThat(workspace.resolve(".probe")).as("HOME is not the workspace").doesNotExist();

    // The session's own processes (the developer shell) keep the workspace as HOME.
    ToolProcess shell =
        sandbox.start(
            new ToolLaunch(
                List.of("bash", "-c", "echo $HOME; ls -A ~/.local"),
                workspace,
                Map.of(),
                ToolLaunch.Streams.MERGED_WITHOUT_INPUT,
                ToolLaunch.Kind.SESSION));
    String out =
        new String(shell.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(shell.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo(workspace + "\nlib\n");
  }
}

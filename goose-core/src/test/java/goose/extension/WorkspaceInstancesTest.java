package goose.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.config.Config;
import goose.conversation.Content;
import goose.sandbox.Sandbox;
import goose.sandbox.SandboxSettings;
import goose.tool.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * With the sandbox on, a stdio extension runs one server per user and workspace (the npm
 * server-everything, through bwrap): sessions of one user in one directory share it, other users
 * and directories get their own, idle ones stop, and a user has at most so many.
 */
@Timeout(180)
@ResourceLock(value = TestServers.EVERYTHING_PROCESSES, mode = ResourceAccessMode.READ_WRITE)
class WorkspaceInstancesTest {
  @TempDir Path home;
  ExtensionManager manager;

  /** An idle time no test reaches (the idle test starts its manager with 3 s instead). */
  private static final String NEVER_IDLE = "600";

  private ExtensionManager manager(String idleSeconds) {
    Config config =
        Config.load(
            Map.of(
                "GOOSE_PATH_ROOT",
                home.resolve("server").toString(),
                "GOOSE_SANDBOX",
                "on",
                "GOOSE_SANDBOX_READ_ONLY",
                TestServers.nodeModules().toString(),
                "GOOSE_SANDBOX_EXTENSION_IDLE",
                idleSeconds,
                "GOOSE_SANDBOX_EXTENSIONS_PER_USER",
                "2"),
            home);
    Sandbox sandbox = Sandbox.open(config, SandboxSettings.from(config, "tokens", true));
    ExtensionManager m =
        new ExtensionManager(config, List.of(), sandbox, Allowlist.none(), Duration.ofMillis(200));
    m.addOrUpdate(TestServers.stdio("everything", TestServers.everythingJs(), "stdio"));
    return m;
  }

  @AfterEach
  void stop() {
    if (manager != null) manager.close();
  }

  private ToolContext session(String user, String session, String dir) throws Exception {
    return new ToolContext(user, session, Files.createDirectories(home.resolve(dir)));
  }

  private Content.ToolResponse echo(ToolContext context) {
    return manager.call(context, TestServers.request("everything__echo", "{\"message\":\"hi\"}"));
  }

  @Test
  void oneServerPerUserAndWorkspaceSharedBySessionsAndStoppedWithTheLastOne() throws Exception {
    manager = manager(NEVER_IDLE);
    ToolContext a1 = session("alice", "a1", "alice/p");
    ToolContext a2 = session("alice", "a2", "alice/p");
    assertThat(echo(a1).text()).isEqualTo("Echo: hi");
    assertThat(echo(a2).isError()).isFalse();
    assertThat(manager.workspaceServers("alice")).as("two sessions, one directory").isEqualTo(1);

    assertThat(echo(session("alice", "a3", "alice/q")).isError()).isFalse();
    assertThat(echo(session("bob", "b1", "bob/p")).isError()).isFalse();
    assertThat(manager.workspaceServers("alice")).isEqualTo(2);
    assertThat(manager.workspaceServers("bob")).isEqualTo(1);

    manager.sessionEnded("a1");
    assertThat(manager.workspaceServers("alice")).as("a2 still uses it").isEqualTo(2);
    manager.sessionEnded("a2");
    assertThat(manager.workspaceServers("alice")).isEqualTo(1);
  }

  @Test
  void aUserHasAtMostSoManyAndTheLeastRecentlyUsedIdleOneMakesRoom() throws Exception {
    manager = manager(NEVER_IDLE);
    for (String dir : List.of("alice/1", "alice/2", "alice/3"))
      assertThat(echo(session("alice", "s-" + dir, dir)).isError()).isFalse();
    assertThat(manager.workspaceServers("alice")).isEqualTo(2);
  }

  @Test
  void whenAllAreBusyTheCallSaysSo() throws Exception {
    manager = manager(NEVER_IDLE);
    ToolContext one = session("alice", "s1", "alice/1");
    ToolContext two = session("alice", "s2", "alice/2");
    ToolContext three = session("alice", "s3", "alice/3");
    assertThat(echo(one).isError()).isFalse();
    assertThat(echo(two).isError()).isFalse();
    CompletableFuture<Content.ToolResponse> slow1 = slowCall(one);
    CompletableFuture<Content.ToolResponse> slow2 = slowCall(two);
    await("both calls in flight: their servers are busy")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> manager.busyWorkspaceServers("alice") == 2);
    Content.ToolResponse refused = echo(three);
    assertThat(refused.isError()).isTrue();
    assertThat(refused.text()).contains("GOOSE_SANDBOX_EXTENSIONS_PER_USER").contains("busy");
    assertThat(slow1.get(60, TimeUnit.SECONDS).isError()).isFalse();
    assertThat(slow2.get(60, TimeUnit.SECONDS).isError()).isFalse();
    assertThat(echo(three).isError()).as("room again once idle").isFalse();
  }

  @Test
  void idleServersStopAndTheirProcessesEnd() throws Exception {
    // 3 s, not 1: at load 75 more than a second passed between the call and the checks after it,
    // and alice's server had already stopped.
    manager = manager("3");
    assertThat(manager.tools("everything")).as("the status server is up").isNotEmpty();
    assertThat(echo(session("alice", "s1", "alice/p")).isError()).isFalse();
    assertThat(manager.workspaceServers("alice")).isEqualTo(1);
    OptionalLong shared = manager.pid("everything");
    assertThat(everythingProcesses()).as("the status server and alice's").isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(manager.workspaceServers("alice"))
                    .as("stopped after 3 s idle")
                    .isZero());
    assertThat(manager.pid("everything")).as("the status server stays").isEqualTo(shared);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(everythingProcesses())
                    .as("only the status server's node runs")
                    .isEqualTo(1));
  }

  /** The node processes running server-everything below this JVM. */
  private static long everythingProcesses() {
    return ProcessHandle.current()
        .descendants()
        .filter(
            p ->
                p.info().commandLine().orElse("").contains(TestServers.everythingJs())
                    && p.info().command().orElse("").endsWith("/node"))
        .count();
  }

  private CompletableFuture<Content.ToolResponse> slowCall(ToolContext context) {
    return CompletableFuture.supplyAsync(
        () ->
            manager.call(
                context,
                TestServers.request(
                    "everything__trigger-long-running-operation", "{\"duration\":3,\"steps\":3}")),
        r -> Thread.ofVirtual().start(r));
  }
}

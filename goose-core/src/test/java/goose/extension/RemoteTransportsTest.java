package goose.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.json.Json;
import goose.sandbox.ProcessTree;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The everything server over Streamable HTTP and over the legacy SSE transport, on 127.0.0.1. */
@Timeout(120)
@ResourceLock(value = TestServers.EVERYTHING_PROCESSES, mode = ResourceAccessMode.READ)
class RemoteTransportsTest {
  @TempDir static Path home;
  static Process streamable;
  static Process sse;
  static int streamablePort;
  static int ssePort;
  static ExtensionManager manager;

  @BeforeAll
  static void start() throws Exception {
    streamablePort = TestServers.freePort();
    streamable = serve("streamableHttp", streamablePort);
    ssePort = TestServers.freePort();
    sse = serve("sse", ssePort);
    manager =
        new ExtensionManager(
            TestServers.config(home), List.of(), Allowlist.none(), Duration.ofMillis(100));
  }

  @AfterAll
  static void stop() {
    if (manager != null) manager.close();
    for (Process p : new Process[] {streamable, sse}) {
      if (p != null) ProcessTree.terminate(p, Duration.ofSeconds(2));
    }
  }

  private static Process serve(String mode, int port) throws Exception {
    return TestServers.serveEverything(mode, port);
  }

  private static ObjectNode remote(String name, String type, String uri) {
    ObjectNode n = Json.object().put("name", name).put("type", type).put("uri", uri);
    n.putObject("headers").put("X-Test-Header", "yes");
    return n;
  }

  @Test
  void streamableHttpListsAndCallsToolsWithProgress() {
    manager.addOrUpdate(
        remote("web", "streamable_http", "http://127.0.0.1:" + streamablePort + "/mcp"));
    assertThat(manager.tools("web"))
        .extracting(t -> t.name())
        .contains("web__echo", "web__get-sum");
    Content.ToolResponse echo =
        manager.call(
            TestServers.context(home),
            TestServers.request("web__echo", "{\"message\":\"over http\"}"));
    assertThat(echo.text()).isEqualTo("Echo: over http");
    Content.ToolResponse image =
        manager.call(TestServers.context(home), TestServers.request("web__get-tiny-image", "{}"));
    assertThat(image.content()).hasAtLeastOneElementOfType(Content.Image.class);
    List<JsonNode> progress = new CopyOnWriteArrayList<>();
    Content.ToolResponse longRun =
        manager.call(
            TestServers.context(
                home,
                (source, kind, payload) -> {
                  if (kind.equals("progress")) progress.add(payload);
                }),
            TestServers.request(
                "web__trigger-long-running-operation", "{\"duration\":1,\"steps\":3}"));
    assertThat(longRun.isError()).isFalse();
    // notifications may land just after the result (a busy machine delays them by seconds)
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(progress).hasSize(3));
    assertThat(manager.get("web").status()).isEqualTo(ExtensionStatus.RUNNING);
  }

  @Test
  void legacySseListsAndCallsTools() {
    manager.addOrUpdate(remote("old", "sse", "http://127.0.0.1:" + ssePort + "/sse"));
    Content.ToolResponse sum =
        manager.call(
            TestServers.context(home), TestServers.request("old__get-sum", "{\"a\":1,\"b\":2}"));
    assertThat(sum.isError()).as(sum.text()).isFalse();
    assertThat(sum.text()).contains("3");
  }

  @Test
  void configuredHeadersAreSentAndAnHttpErrorFailsTheExtension() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer http =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/mcp",
        ex -> {
          seen.add(ex.getRequestHeaders().getFirst("X-Test-Header"));
          ex.sendResponseHeaders(500, -1);
          ex.close();
        });
    http.start();
    try {
      manager.addOrUpdate(
          remote(
              "broken",
              "streamable_http",
              "http://127.0.0.1:" + http.getAddress().getPort() + "/mcp"));
      assertThat(manager.tools("broken")).isEmpty();
      assertThat(seen).contains("yes");
      assertThat(manager.get("broken").status()).isEqualTo(ExtensionStatus.FAILED);
      assertThat(manager.get("broken").lastError()).isPresent();
    } finally {
      http.stop(0);
    }
  }

  @Test
  void aRemoteServerDyingMidCallFailsTheCallWithoutWaitingForTheTimeoutAndIsReconnectedLater()
      throws Exception {
    int port = TestServers.freePort();
    Process server = serve("streamableHttp", port);
    try {
      ObjectNode node =
          remote("flaky", "streamable_http", "http://127.0.0.1:" + port + "/mcp")
              .put("timeout", 600);
      manager.addOrUpdate(node);
      assertThat(manager.tools("flaky")).isNotEmpty();
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  // a timer, not a wait for a condition: the server dies one second into the call
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
                ProcessTree.terminate(server, Duration.ofSeconds(1));
              });
      long started = System.nanoTime();
      Content.ToolResponse r =
          manager.call(
              TestServers.context(home),
              TestServers.request(
                  "flaky__trigger-long-running-operation", "{\"duration\":300,\"steps\":300}"));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
      assertThat(r.isError()).isTrue();
      assertThat(r.text()).contains("cannot be reached");
      assertThat(manager.get("flaky").status()).isEqualTo(ExtensionStatus.FAILED);

      Process again = serve("streamableHttp", port);
      try {
        // A timer, not a condition: the back-off is a span of time, and a call during it (the only
        // way to observe it) is refused. Sleeping is at least this long, also on a loaded machine.
        Thread.sleep(300); // past the back-off
        Content.ToolResponse echo =
            manager.call(
                TestServers.context(home),
                TestServers.request("flaky__echo", "{\"message\":\"back\"}"));
        assertThat(echo.text()).isEqualTo("Echo: back");
        assertThat(manager.get("flaky").status()).isEqualTo(ExtensionStatus.RUNNING);
      } finally {
        ProcessTree.terminate(again, Duration.ofSeconds(1));
      }
    } finally {
      ProcessTree.terminate(server, Duration.ofSeconds(1));
    }
  }

  @Test
  void anUnreachableServerIsAFailedExtensionNotAnException() {
    manager.addOrUpdate(
        remote("gone", "streamable_http", "http://127.0.0.1:" + TestServers.freePort() + "/mcp"));
    assertThat(manager.tools("gone")).isEmpty();
    assertThat(manager.get("gone").status()).isEqualTo(ExtensionStatus.FAILED);
    Content.ToolResponse r =
        manager.call(TestServers.context(home), TestServers.request("gone__echo", "{}"));
    assertThat(r.isError()).isTrue();
  }
}

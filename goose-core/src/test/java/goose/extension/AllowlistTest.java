package goose.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import goose.config.Config;
import goose.json.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The operator's allowlist: exact command lines only, fail closed, bypass. */
@Timeout(60)
@ResourceLock(value = TestServers.EVERYTHING_PROCESSES, mode = ResourceAccessMode.READ)
class AllowlistTest {
  @TempDir Path home;
  Path list;
  HttpServer http;

  @BeforeEach
  void writeList() throws Exception {
    list = home.resolve("allowlist.yaml");
    Files.writeString(
        list,
        """
        extensions:
          - id: everything
            command: node %s stdio
          - id: uvx-fetch
            command: uvx mcp-server-fetch
        """
            .formatted(TestServers.everythingJs()));
  }

  @AfterEach
  void stopHttp() {
    if (http != null) http.stop(0);
  }

  private ExtensionManager manager(Allowlist allowlist) {
    return new ExtensionManager(
        TestServers.config(home),
        List.of(new ExtensionManagementTest.EchoBuiltin()),
        allowlist,
        Duration.ofMillis(100));
  }

  private static ObjectNode stdio(String cmd, String... args) {
    ObjectNode n = Json.object().put("name", "x").put("type", "stdio").put("cmd", cmd);
    for (String a : args) n.withArray("args").add(a);
    return n;
  }

  @Test
  void theExactCommandLineIsAcceptedAndRuns() {
    try (ExtensionManager m = manager(Allowlist.of(list.toString()))) {
      m.addOrUpdate(stdio("node", TestServers.everythingJs(), "stdio"));
      assertThat(m.tools("x")).isNotEmpty();
    }
  }

  @Test
  void anExtraOrChangedArgumentOrOtherCommandIsRejectedWithTheReason() {
    try (ExtensionManager m = manager(Allowlist.of(list.toString()))) {
      for (ObjectNode body :
          List.of(
              stdio("node", TestServers.everythingJs(), "stdio", "--inspect"),
              stdio("node", TestServers.everythingJs(), "sse"),
              stdio("node", TestServers.everythingJs()),
              stdio("python3", "-m", "http.server"),
              stdio("uvx", "mcp-server-fetch;", "rm", "-rf", "/"),
              stdio("uvx", "mcp-server-fetch && curl http://example.invalid"),
              stdio("uvx", "mcp-server-fetch", "|", "sh"),
              stdio("uvx", "$(mcp-server-fetch)"),
              stdio("uvx", "mcp-server-fetch extra"))) {
        assertThatThrownBy(() -> m.addOrUpdate(body))
            .as(body.toString())
            .isInstanceOf(ExtensionException.NotAllowed.class)
            .hasMessageContaining("not in the extension allowlist");
      }
      assertThatThrownBy(() -> m.addOrUpdate(stdio("uvx  mcp-server-fetch")))
          .as("a whole command line in cmd")
          .isInstanceOf(ExtensionException.Invalid.class)
          .hasMessageContaining("whitespace");
      assertThat(m.list()).extracting(ExtensionInfo::name).containsExactly("builtin-echo");
    }
  }

  @Test
  void aDisabledExtensionMayBeStoredButNotEnabled() {
    try (ExtensionManager m = manager(Allowlist.of(list.toString()))) {
      m.addOrUpdate(stdio("python3", "-m", "evil").put("enabled", false));
      assertThatThrownBy(() -> m.enable("x")).isInstanceOf(ExtensionException.NotAllowed.class);
      assertThat(m.get("x").enabled()).isFalse();
    }
  }

  @Test
  void anExtensionAlreadyInConfigButNotAllowedNeverStarts() {
    Config config = TestServers.config(home);
    config.setNode(
        "extensions", Json.object().set("x", stdio("node", TestServers.everythingJs(), "sse")));
    try (ExtensionManager m = manager(Allowlist.of(list.toString()))) {
      assertThat(m.tools("x")).isEmpty();
      assertThat(m.get("x").status()).isEqualTo(ExtensionStatus.FAILED);
      assertThat(m.get("x").lastError())
          .get()
          .asString()
          .contains("not in the extension allowlist");
      assertThat(m.pid("x")).isEmpty();
    }
  }

  @Test
  void servedOverHttpItWorksAndAnUnreachableUrlFailsClosed() throws Exception {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body = Files.readString(list).getBytes(StandardCharsets.UTF_8);
    http.createContext(
        "/allow.yaml",
        ex -> {
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    http.start();
    String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/allow.yaml";
    try (ExtensionManager m = manager(Allowlist.of(url))) {
      m.addOrUpdate(stdio("node", TestServers.everythingJs(), "stdio"));
    }
    int closedPort = TestServers.freePort();
    try (ExtensionManager m =
        manager(Allowlist.of("http://127.0.0.1:" + closedPort + "/allow.yaml"))) {
      assertThatThrownBy(() -> m.addOrUpdate(stdio("node", TestServers.everythingJs(), "stdio")))
          .isInstanceOf(ExtensionException.NotAllowed.class)
          .hasMessageContaining("could not be read")
          .hasMessageContaining("refused");
      // built-ins are the server's own code and stay usable
      assertThat(m.tools(TestServers.context(home))).isNotEmpty();
    }
  }

  @Test
  void aBrokenListFailsClosedSayingWhy() throws Exception {
    Files.writeString(list, "extensions: [ {id: a, command: ");
    assertThatThrownBy(
            () ->
                Allowlist.of(list.toString())
                    .check(ExtensionConfigs.parse(stdio("uvx", "mcp-server-fetch"))))
        .isInstanceOf(ExtensionException.NotAllowed.class)
        .hasMessageContaining("not valid YAML");
    Files.writeString(list, "something_else: true\n");
    assertThatThrownBy(
            () ->
                Allowlist.of(list.toString())
                    .check(ExtensionConfigs.parse(stdio("uvx", "mcp-server-fetch"))))
        .isInstanceOf(ExtensionException.NotAllowed.class)
        .hasMessageContaining("no 'extensions:' list");
    assertThatThrownBy(
            () ->
                Allowlist.of(home.resolve("missing.yaml").toString())
                    .check(ExtensionConfigs.parse(stdio("uvx", "mcp-server-fetch"))))
        .isInstanceOf(ExtensionException.NotAllowed.class)
        .hasMessageContaining("could not be read");
  }

  @Test
  void bypassTurnsItOffAndUnsetMeansNoRestriction() {
    Config bypassed =
        Config.load(
            Map.of(
                "GOOSE_PATH_ROOT",
                home.toString(),
                "GOOSE_ALLOWLIST",
                "http://127.0.0.1:1/none",
                "GOOSE_ALLOWLIST_BYPASS",
                "true"),
            home);
    assertThat(Allowlist.fromConfig(bypassed).active()).isFalse();
    Config active =
        Config.load(
            Map.of("GOOSE_PATH_ROOT", home.toString(), "GOOSE_ALLOWLIST", list.toString()), home);
    assertThat(Allowlist.fromConfig(active).active()).isTrue();
    assertThat(Allowlist.fromConfig(TestServers.config(home)).active()).isFalse();
    assertThatCode(
            () ->
                Allowlist.fromConfig(bypassed)
                    .check(ExtensionConfigs.parse(stdio("python3", "-m", "anything"))))
        .doesNotThrowAnyException();
  }

  @Test
  void remoteExtensionsAreRestrictedOnlyOnceTheListNamesUris() throws Exception {
    var remote =
        ExtensionConfigs.parse(
            Json.object()
                .put("name", "r")
                .put("type", "streamable_http")
                .put("uri", "https://mcp.example.com/mcp"));
    assertThatCode(() -> Allowlist.of(list.toString()).check(remote)).doesNotThrowAnyException();
    Files.writeString(
        list,
        """
        extensions:
          - id: other
            uri: https://other.example.com/mcp
        """);
    assertThatThrownBy(() -> Allowlist.of(list.toString()).check(remote))
        .isInstanceOf(ExtensionException.NotAllowed.class);
    Files.writeString(list, "extensions:\n  - id: ok\n    uri: https://mcp.example.com/mcp\n");
    assertThatCode(() -> Allowlist.of(list.toString()).check(remote)).doesNotThrowAnyException();
  }
}

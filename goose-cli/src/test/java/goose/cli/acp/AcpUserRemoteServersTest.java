package goose.cli.acp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import goose.extension.TestServers;
import goose.json.Json;
import goose.sandbox.ProcessTree;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mcpServers} of type {@code http} that a user who is not an admin gives: the server
 * connects to them itself, so they may not reach loopback, private or link-local addresses unless
 * an allowlist {@code uri:} entry names them; hop-by-hop headers and the proxy's user header are
 * dropped; and a failure never hands back what the peer answered. Proxy mode: bob is a user, root
 * an admin.
 */
class AcpUserRemoteServersTest {
  static final String SECRET_BODY = "{\"internal\":\"INTERNAL-ONLY-SECRET-42\"}";
  static final String SECRET_404 = "NOT-FOUND-SECRET-17";

  @TempDir Path root;
  private AcpTestServer goosed;
  private HttpServer internal;
  private final List<String> hits = new CopyOnWriteArrayList<>();
  private final List<Map<String, List<String>>> headersSeen = new CopyOnWriteArrayList<>();

  /** An internal service on loopback that records every request it gets. */
  @BeforeEach
  void internalService() throws Exception {
    internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    internal.createContext(
        "/",
        exchange -> {
          hits.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          headersSeen.add(Map.copyOf(exchange.getRequestHeaders()));
          exchange.getRequestBody().readAllBytes();
          boolean missing = exchange.getRequestURI().getPath().equals("/missing");
          byte[] body = (missing ? SECRET_404 : SECRET_BODY).getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", missing ? "text/plain" : "application/json");
          exchange.sendResponseHeaders(missing ? 404 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    internal.start();
  }

  @AfterEach
  void stop() {
    if (goosed != null) goosed.close();
    internal.stop(0);
  }

  private String internalUrl(String path) {
    return "http://127.0.0.1:" + internal.getAddress().getPort() + path;
  }

  private void start(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(extra);
    env.put("GOOSE_AUTH", "proxy");
    env.put("GOOSE_TRUSTED_PROXIES", "127.0.0.1/32");
    env.put("GOOSE_ADMIN_USERS", "root");
    goosed = AcpTestServer.start(root, env);
  }

  private RawAcpSocket as(String user) throws Exception {
    return RawAcpSocket.open(goosed.ws(""), Map.of("X-Remote-User", user));
  }

  private ObjectNode newSession(String url, String... headers) {
    ObjectNode p = Json.object().put("cwd", goosed.cwd.toString());
    ArrayNode servers = p.putArray("mcpServers");
    ObjectNode s = servers.addObject().put("type", "http").put("name", "remote").put("url", url);
    ArrayNode h = s.putArray("headers");
    for (int i = 0; i < headers.length; i += 2)
      h.addObject().put("name", headers[i]).put("value", headers[i + 1]);
    return p;
  }

  private static JsonNode request(RawAcpSocket acp, ObjectNode params) throws Exception {
    return acp.request("session/new", params).get(60, TimeUnit.SECONDS);
  }

  @Test
  void aUsersServerOnLoopbackOrTheMetadataAddressIsRefusedAndNeverReached() throws Exception {
    start(Map.of());
    try (RawAcpSocket bob = as("bob")) {
      JsonNode refused = request(bob, newSession(internalUrl("/mcp"), "Metadata-Flavor", "Google"));
      assertThat(refused.at("/error/code").asInt()).as(refused.toString()).isEqualTo(-32602);
      assertThat(refused.at("/error/data/code").asText()).isEqualTo("forbidden");
      assertThat(refused.at("/error/data/message").asText())
          .contains(
              "http MCP server "
                  + internalUrl("/mcp")
                  + " resolves to 127.0.0.1, a loopback address: user-supplied servers may not"
                  + " reach loopback, private or link-local addresses");
      JsonNode byName =
          request(bob, newSession("http://localhost:" + internal.getAddress().getPort() + "/mcp"));
      assertThat(byName.at("/error/data/message").asText()).contains("a loopback address");
      JsonNode metadata = request(bob, newSession("http://169.254.169.254/latest/meta-data/"));
      assertThat(metadata.at("/error/data/message").asText())
          .contains("resolves to 169.254.169.254, a link-local address");
      JsonNode privateNet = request(bob, newSession("http://10.0.0.1:8080/mcp"));
      assertThat(privateNet.at("/error/data/message").asText()).contains("a private address");
      assertThat(bob.call("session/list", Json.object()).get("sessions"))
          .as("a refused session/new leaves no session behind")
          .isEmpty();
    }
    assertThat(hits).as("nothing reached the internal service").isEmpty();
  }

  @Test
  void anAdminsServerIsTrustedButItsAnswerIsNotEchoed() throws Exception {
    start(Map.of());
    try (RawAcpSocket admin = as("root")) {
      JsonNode failed = request(admin, newSession(internalUrl("/mcp")));
      assertThat(hits).as("an admin's server is connected to").isNotEmpty();
      assertThat(failed.has("error")).as(failed.toString()).isTrue();
      assertThat(failed.toString())
          .doesNotContain("INTERNAL-ONLY-SECRET-42")
          .contains("not an MCP server");
      JsonNode missing = request(admin, newSession(internalUrl("/missing")));
      assertThat(missing.toString()).doesNotContain(SECRET_404).contains("HTTP status 404");
    }
  }

  @Test
  void anAllowlistedServerIsReachedWithoutTheDroppedHeadersOrItsAnswerInTheError()
      throws Exception {
    Path list = root.resolve("allowlist.yaml");
    Files.writeString(
        list,
        "extensions:\n"
            + "  - id: internal\n    uri: "
            + internalUrl("/mcp")
            + "\n  - id: missing\n    uri: "
            + internalUrl("/missing")
            + "\n");
    start(Map.of("GOOSE_ALLOWLIST", list.toString()));
    try (RawAcpSocket bob = as("bob")) {
      JsonNode failed =
          request(
              bob,
              newSession(
                  internalUrl("/mcp"),
                  "X-Test",
                  "1",
                  "X-Remote-User",
                  "root",
                  "Proxy-Authorization",
                  "Basic eDp4",
                  "Keep-Alive",
                  "timeout=5"));
      assertThat(hits).as("the allowlist names it: it is reached").isNotEmpty();
      assertThat(failed.at("/error/code").asInt()).as(failed.toString()).isNotZero();
      assertThat(failed.toString())
          .doesNotContain("INTERNAL-ONLY-SECRET-42")
          .contains("not an MCP server");
      Map<String, List<String>> sent = headersSeen.getFirst();
      assertThat(sent).containsKey("X-test");
      assertThat(sent.keySet())
          .map(k -> k.toLowerCase(java.util.Locale.ROOT))
          .doesNotContain("x-remote-user", "proxy-authorization", "keep-alive");

      JsonNode missing = request(bob, newSession(internalUrl("/missing")));
      assertThat(missing.toString()).doesNotContain(SECRET_404).contains("HTTP status 404");
    }
  }

  @Test
  void anAllowlistedMcpServerOnLoopbackWorksForAUser() throws Exception {
    int port = TestServers.freePort();
    String url = "http://127.0.0.1:" + port + "/mcp";
    Path list = root.resolve("allowlist.yaml");
    Files.writeString(list, "extensions:\n  - id: everything\n    uri: " + url + "\n");
    start(Map.of("GOOSE_ALLOWLIST", list.toString()));
    Process remote = TestServers.serveEverything("streamableHttp", port);
    try (RawAcpSocket bob = as("bob")) {
      JsonNode created = request(bob, newSession(url));
      assertThat(created.at("/result/sessionId").asText()).as(created.toString()).isNotEmpty();
    } finally {
      ProcessTree.terminate(remote, Duration.ofSeconds(2));
    }
  }
}

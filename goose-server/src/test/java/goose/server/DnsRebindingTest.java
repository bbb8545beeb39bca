package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import goose.json.Json;
import goose.user.UserStore;
import goose.user.UserStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DNS rebinding, in every auth mode, on a real server: a page on {@code evil.example} whose name
 * now resolves to 127.0.0.1 sends, from the browser, requests that carry the user's credentials (a
 * cookie-based proxy, a saved token, or none needed at all) with {@code Host} and {@code Origin}
 * both naming {@code evil.example} — same-origin, as the browser sees it. Every one must be refused
 * with 421 before it does anything (the stdio extension the page tries to add would run a command
 * on the host), a WebSocket upgrade included; the same requests with the server's own name pass
 * (positive control).
 */
@Timeout(120)
class DnsRebindingTest {
  enum Mode {
    NONE,
    SECRET,
    TOKENS,
    PROXY
  }

  private static final String SECRET = "rebinding-secret-" + UUID.randomUUID();
  @TempDir Path root;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aForeignHostWithAMatchingOriginIsRefusedInEveryMode(Mode mode) throws Exception {
    String[] admin = start(mode);
    int port = server.server.port();
    Path pwned = root.resolve("pwned");
    String evil = "evil.example:" + port;
    String addExtension =
        "{\"name\":\"rebound\",\"type\":\"stdio\",\"cmd\":\"/bin/sh\",\"args\":[\"-c\",\"touch "
            + pwned
            + "\"]}";

    List<RawHttp.Response> refused = new ArrayList<>();
    refused.add(send(port, "POST", "/extensions", addExtension, evil, "http://" + evil, admin));
    refused.add(send(port, "GET", "/sessions", null, evil, null, admin));
    refused.add(send(port, "GET", "/status", null, evil, null, admin));
    refused.add(send(port, "GET", "/audit", null, evil, "http://" + evil, admin));
    refused.add(
        send(
            port,
            "POST",
            "/sessions",
            "{\"cwd\":\"" + root + "\"}",
            "EVIL.example:" + port,
            "http://evil.example:" + port,
            admin));
    refused.add(send(port, "OPTIONS", "/sessions", null, evil, "http://" + evil, admin));
    refused.add(send(port, "GET", "/sessions", null, "localhost.:" + port, null, admin));
    refused.add(
        send(
            port,
            "GET",
            "/acp",
            null,
            evil,
            "http://" + evil,
            with(
                admin,
                "Connection",
                "Upgrade",
                "Upgrade",
                "websocket",
                "Sec-WebSocket-Version",
                "13",
                "Sec-WebSocket-Key",
                "dGhlIHNhbXBsZSBub25jZQ==")));
    for (RawHttp.Response r : refused) {
      assertThat(r.status()).as(mode + ": " + r.body()).isEqualTo(421);
      assertThat(Json.parse(r.body()).at("/error/code").asText()).isEqualTo("misdirected_request");
      assertThat(r.body()).contains("GOOSE_ALLOWED_HOSTS");
    }
    assertThat(pwned).doesNotExist();

    String own = "127.0.0.1:" + port;
    RawHttp.Response listed = send(port, "GET", "/extensions", null, own, null, admin);
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    assertThat(listed.body()).doesNotContain("rebound");
    RawHttp.Response created =
        send(port, "POST", "/sessions", "{\"cwd\":\"" + root + "\"}", own, "http://" + own, admin);
    assertThat(created.status()).as("positive control: " + created.body()).isEqualTo(201);
    RawHttp.Response viaLocalhost =
        send(
            port,
            "POST",
            "/sessions",
            "{\"cwd\":\"" + root + "\"}",
            "localhost:" + port,
            "http://localhost:" + port,
            admin);
    assertThat(viaLocalhost.status()).as(viaLocalhost.body()).isEqualTo(201);
    RawHttp.Response foreignOrigin =
        send(
            port,
            "POST",
            "/sessions",
            "{\"cwd\":\"" + root + "\"}",
            own,
            "http://localhost:" + (port == 1 ? 2 : port - 1),
            admin);
    assertThat(foreignOrigin.status())
        .as("another local port is another origin: " + foreignOrigin.body())
        .isEqualTo(403);
    String viaProxy = "127.0.0.1:" + (port == 1 ? 2 : port - 1);
    RawHttp.Response proxied =
        send(
            port,
            "POST",
            "/sessions",
            "{\"cwd\":\"" + root + "\"}",
            viaProxy,
            "https://" + viaProxy,
            admin);
    assertThat(proxied.status())
        .as("a page served through a proxy on this machine names the Host the proxy passes on")
        .isEqualTo(201);
  }

  @Test
  void allowedHostsAreExactAndDecideWhichOriginsAreTheServersOwn() throws Exception {
    server =
        TestServer.start(
            root, Map.of("GOOSE_ALLOWED_HOSTS", "goose.example.com, goose.internal:8443"));
    int port = server.server.port();
    String body = "{\"cwd\":\"" + root + "\"}";
    assertThat(send(port, "GET", "/sessions", null, "goose.example.com", null).status())
        .isEqualTo(200);
    assertThat(send(port, "GET", "/sessions", null, "Goose.Example.COM:443", null).status())
        .as("the default port and case do not matter")
        .isEqualTo(200);
    assertThat(send(port, "GET", "/sessions", null, "goose.internal:8443", null).status())
        .isEqualTo(200);
    assertThat(send(port, "GET", "/sessions", null, "goose.example.com:8080", null).status())
        .as("another port is another host")
        .isEqualTo(421);
    assertThat(send(port, "GET", "/sessions", null, "goose.internal", null).status())
        .isEqualTo(421);
    assertThat(send(port, "GET", "/sessions", null, "sub.goose.example.com", null).status())
        .isEqualTo(421);

    assertThat(
            send(port, "POST", "/sessions", body, "goose.example.com", "https://goose.example.com")
                .status())
        .as("the server's own page behind a TLS proxy")
        .isEqualTo(201);
    assertThat(
            send(
                    port,
                    "POST",
                    "/sessions",
                    body,
                    "goose.example.com",
                    "https://goose.internal:8443")
                .status())
        .as("another allowed name is the server's too")
        .isEqualTo(201);
    assertThat(
            send(port, "POST", "/sessions", body, "goose.example.com", "https://evil.example")
                .status())
        .as("a foreign page")
        .isEqualTo(403);
    assertThat(send(port, "POST", "/sessions", body, "goose.example.com", "null").status())
        .as("an opaque origin (sandboxed frame, file:)")
        .isEqualTo(403);
  }

  @Test
  void aRequestWithoutAHostIsRefused() throws IOException {
    server = TestServer.start(root, Map.of());
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write("GET /sessions HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String response =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(response).startsWith("HTTP/1.1 421").contains("misdirected_request");
    }
  }

  @Test
  void malformedAllowedHostsStopTheStart() {
    for (String bad : List.of("*", "https://goose.example.com", "goose.example.com/x", "a b")) {
      Map<String, String> env = Map.of("GOOSE_ALLOWED_HOSTS", bad);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.start(root, env))
          .as(bad)
          .isInstanceOf(goose.config.ConfigException.class)
          .hasMessageContaining("GOOSE_ALLOWED_HOSTS");
    }
  }

  /** Starts the server in {@code mode}; returns the headers of an admin's credentials. */
  private String[] start(Mode mode) {
    Map<String, String> env = new HashMap<>(Map.of("GOOSE_RATE_LIMIT", "0"));
    switch (mode) {
      case NONE -> env.put("GOOSE_AUTH", "none");
      case SECRET -> env.put("GOOSE_SERVER__SECRET_KEY", SECRET);
      case TOKENS -> env.put("GOOSE_AUTH", "tokens");
      case PROXY ->
          env.putAll(
              Map.of(
                  "GOOSE_AUTH",
                  "proxy",
                  "GOOSE_TRUSTED_PROXIES",
                  "127.0.0.1",
                  "GOOSE_ADMIN_USERS",
                  "root"));
    }
    server = TestServer.start(root, env);
    return switch (mode) {
      case NONE -> new String[0];
      case SECRET -> new String[] {"X-Secret-Key", SECRET};
      case TOKENS -> {
        try (UserStore users = UserStores.open(server.config)) {
          yield new String[] {"Authorization", "Bearer " + users.add("root", true).token()};
        }
      }
      case PROXY -> new String[] {"X-Remote-User", "root"};
    };
  }

  private static String[] with(String[] headers, String... more) {
    String[] out = java.util.Arrays.copyOf(headers, headers.length + more.length);
    System.arraycopy(more, 0, out, headers.length, more.length);
    return out;
  }

  static RawHttp.Response send(
      int port,
      String method,
      String path,
      String body,
      String host,
      String origin,
      String... creds)
      throws IOException {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"Host", host});
    if (origin != null) headers.add(new String[] {"Origin", origin});
    if (method.equals("OPTIONS"))
      headers.add(new String[] {"Access-Control-Request-Method", "POST"});
    for (int i = 0; i + 1 < creds.length; i += 2)
      headers.add(new String[] {creds[i], creds[i + 1]});
    if (body != null) headers.add(new String[] {"Content-Type", "application/json"});
    return RawHttp.send(
        port,
        new RawHttp.Request(
            method,
            path.getBytes(StandardCharsets.US_ASCII),
            headers,
            body == null ? null : body.getBytes(StandardCharsets.UTF_8)),
        20_000);
  }
}

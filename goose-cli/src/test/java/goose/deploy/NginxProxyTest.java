package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.config.Config;
import goose.provider.fake.FakeOpenAiServer;
import goose.server.GooseServer;
import goose.testing.deploy.NginxProxy;
import goose.testing.deploy.ProxyClient;
import goose.testing.deploy.SelfSignedTls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented nginx configuration (deploy/nginx/goosed.conf) run by the real nginx binary, with
 * TLS and basic auth, in front of a real goosed on loopback with a fake provider. Needs nginx
 * installed: without it every test fails saying how to install it ({@code bash .ci/run} does).
 */
// Each test makes dozens of HTTPS requests through nginx and starts a server: at a load of 38-64
// one took more than 90 s (the same requests, each within its own 30 s timeout).
// First among the module's classes (the POM orders classes by @Order): it starts no goose JVM, so
// it runs while the class archive for those trains, which they wait for (ChildJvm.TRAINING_WAIT).
@Order(1)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NginxProxyTest {
  private static final Map<String, String> USERS =
      Map.of("alice", "alice-password", "bob", "bob-password");

  @TempDir Path dir;
  private final AutoCloser closer = new AutoCloser();

  @AfterEach
  void stop() throws Exception {
    closer.close();
  }

  @Test
  void passesTheUserNginxCheckedAndNeverOneTheClientClaims() throws Exception {
    EchoUpstream echo = closer.add(new EchoUpstream());
    SelfSignedTls tls = SelfSignedTls.create(dir);
    NginxProxy nginx = closer.add(NginxProxy.start(dir.resolve("nginx"), echo.port(), tls, USERS));

    ProxyClient alice = client(nginx, tls, "alice", "alice-password");
    String seen = alice.get("/sessions", "X-Remote-User", "bob").body();
    assertThat(seen)
        .contains("x-remote-user: alice\n")
        .doesNotContain("bob")
        .doesNotContain("authorization:");
    assertThat(seen).contains("x-forwarded-proto: https\n").contains("x-real-ip: 127.0.0.1\n");

    int before = echo.requests.get();
    assertThat(client(nginx, tls, "bob", "wrong").get("/sessions").status()).isEqualTo(401);
    assertThat(anonymous(nginx, tls).get("/sessions", "X-Remote-User", "alice").status())
        .isEqualTo(401);
    assertThat(echo.requests.get())
        .as("unauthenticated requests never reach goosed")
        .isEqualTo(before);

    // /status is open for monitors, and carries no user even when a client sends one.
    ProxyClient.Reply status = anonymous(nginx, tls).get("/status", "X-Remote-User", "alice");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.body()).doesNotContain("x-remote-user");

    try (ProxyClient.EventStream sse = alice.stream("/stream", Optional.empty())) {
      assertThat(sse.next().orElseThrow().name()).isEqualTo("first");
      echo.release();
      assertThat(sse.next().orElseThrow().name()).isEqualTo("last");
    }

    // Plain HTTP only redirects to HTTPS.
    ProxyClient plain =
        new ProxyClient(
            tls.clientContext(),
            URI.create("http://127.0.0.1:" + nginx.httpPort),
            Optional.empty(),
            "");
    ProxyClient.Reply redirect = plain.get("/sessions");
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.response().headers().firstValue("location"))
        .hasValueSatisfying(l -> assertThat(l).startsWith("https://"));
  }

  @Test
  void streamsAReplyThroughTheProxyEventByEventNotBuffered() throws Exception {
    Goosed goosed = startGoosed();
    ProxyClient alice = client(goosed.nginx, goosed.tls, "alice", "alice-password");
    String session = createSession(alice);
    String messages = "/sessions/" + session + "/messages";

    // The provider sends its first words and then nothing more, with the connection open: the
    // client must
    // get them through nginx now, not when the response ends (a buffering proxy would hold them
    // back).
    goosed.provider.enqueue(FakeOpenAiServer.text("first", " second").stallAfter(2));
    try (ProxyClient.EventStream sse =
        alice.stream(messages, Optional.of("{\"content\":\"start counting\"}"))) {
      assertThat(sse.status).isEqualTo(200);
      assertThat(sse.header("content-type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
      ProxyClient.EventStream.Event first = sse.next().orElseThrow();
      assertThat(first.name()).isEqualTo("message_chunk");
      assertThat(first.data().get("text").asText()).isEqualTo("first");
      assertThat(
              alice
                  .post("/sessions/" + session + "/cancel", "{}")
                  .json()
                  .get("cancelled")
                  .asBoolean())
          .isTrue();
      assertThat(sse.untilComplete().getLast().data().get("stop_reason").asText())
          .isEqualTo("cancelled");
    }

    // A whole reply, 200 ms between chunks, arrives chunk by chunk and complete.
    goosed.provider.enqueue(
        FakeOpenAiServer.text("one", " two", " three").withChunkDelay(Duration.ofMillis(200)));
    try (ProxyClient.EventStream sse =
        alice.stream(messages, Optional.of("{\"content\":\"count to three\"}"))) {
      StringBuilder text = new StringBuilder();
      List<ProxyClient.EventStream.Event> events = sse.untilComplete();
      for (ProxyClient.EventStream.Event e : events) {
        if (e.name().equals("message_chunk")) text.append(e.data().get("text").asText());
      }
      assertThat(text.toString()).isEqualTo("one two three");
      assertThat(events.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
      assertThat(events)
          .extracting(ProxyClient.EventStream.Event::name)
          .filteredOn("message_chunk"::equals)
          .hasSize(3);
    }
    JsonNode stored = alice.get("/sessions/" + session).json();
    assertThat(stored.get("messages").toString()).contains("one two three");
  }

  /**
   * goosed in {@code GOOSE_AUTH=proxy} takes the user from the X-Remote-User nginx sets, trusting
   * it only from 127.0.0.1 (nginx): alice and bob never see each other's sessions, whatever header
   * they send.
   */
  @Test
  void twoUsersBehindTheProxyAreIsolated() throws Exception {
    Goosed goosed = startGoosed();
    ProxyClient alice = client(goosed.nginx, goosed.tls, "alice", "alice-password");
    ProxyClient bob = client(goosed.nginx, goosed.tls, "bob", "bob-password");
    String aliceSession = createSession(alice);

    assertThat(alice.get("/sessions/" + aliceSession).status()).isEqualTo(200);
    assertThat(alice.get("/sessions").json().get("sessions").toString()).contains(aliceSession);

    assertThat(bob.get("/sessions").json().get("sessions").toString()).doesNotContain(aliceSession);
    assertThat(bob.get("/sessions/" + aliceSession).status()).isEqualTo(404);
    assertThat(bob.get("/sessions/" + aliceSession, "X-Remote-User", "alice").status())
        .as("a client-sent X-Remote-User is replaced by nginx")
        .isEqualTo(404);
    assertThat(
            bob.post(
                    "/sessions/" + aliceSession + "/messages",
                    "{\"content\":\"hi\"}",
                    "Accept",
                    "application/json")
                .status())
        .isEqualTo(404);
    assertThat(bob.get("/sessions/" + aliceSession + "/events").status()).isEqualTo(404);

    // A browser page of this site may write; one from another site may not (goosed sees the Host
    // nginx passes on).
    String origin = "https://127.0.0.1:" + goosed.nginx.httpsPort;
    String body = "{\"cwd\":\"" + dir + "\",\"name\":\"from a page\"}";
    assertThat(alice.post("/sessions", body, "Origin", origin).status()).isEqualTo(201);
    assertThat(alice.post("/sessions", body, "Origin", "https://evil.example").status())
        .isEqualTo(403);

    String bobSession = createSession(bob);
    assertThat(alice.get("/sessions/" + bobSession).status()).isEqualTo(404);
    assertThat(alice.get("/sessions").json().get("sessions").toString()).doesNotContain(bobSession);
  }

  /**
   * An ACP client on a WebSocket (goose desktop, remote editors) reaches goosed's {@code /acp}
   * through the documented configuration: nginx passes the upgrade on, authenticates the user and
   * names them, and the session the client creates is that user's and nobody else's.
   */
  @Test
  void passesAnAcpWebSocketThroughAsTheUserNginxChecked() throws Exception {
    Goosed goosed = startGoosed();
    ProxyClient alice = client(goosed.nginx, goosed.tls, "alice", "alice-password");
    ProxyClient bob = client(goosed.nginx, goosed.tls, "bob", "bob-password");
    java.util.concurrent.BlockingQueue<JsonNode> received =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.net.http.WebSocket socket =
        alice.webSocket(
            "/acp",
            new java.net.http.WebSocket.Listener() {
              private final StringBuilder text = new StringBuilder();

              @Override
              public java.util.concurrent.CompletionStage<?> onText(
                  java.net.http.WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                  try {
                    received.add(goose.json.Json.MAPPER.readTree(text.toString()));
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                  text.setLength(0);
                }
                ws.request(1);
                return null;
              }
            });
    try {
      socket
          .sendText(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                  + "\"params\":{\"protocolVersion\":1}}",
              true)
          .get(10, TimeUnit.SECONDS);
      assertThat(reply(received, 1).at("/result/protocolVersion").asInt()).isEqualTo(1);
      socket
          .sendText(
              "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"session/new\",\"params\":"
                  + goose.json.Json.MAPPER
                      .createObjectNode()
                      .put("cwd", dir.toString())
                      .set("mcpServers", goose.json.Json.MAPPER.createArrayNode())
                  + "}",
              true)
          .get(10, TimeUnit.SECONDS);
      JsonNode created = reply(received, 2);
      String session = created.at("/result/sessionId").asText();
      assertThat(session).as(created.toString()).isNotEmpty();

      assertThat(alice.get("/sessions").json().get("sessions").toString()).contains(session);
      assertThat(bob.get("/sessions/" + session).status()).isEqualTo(404);
    } finally {
      socket.abort();
    }
  }

  private static JsonNode reply(java.util.concurrent.BlockingQueue<JsonNode> received, int id)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonNode message = received.poll(1, TimeUnit.SECONDS);
      if (message != null && message.path("id").asInt(-1) == id) return message;
    }
    throw new AssertionError("no answer to request " + id + " within 30 s");
  }

  /**
   * The documented alternative to trusting 127.0.0.1: goosed on a Unix socket only nginx can open
   * (GOOSE_UNIX_SOCKET, GOOSE_TRUSTED_PROXIES=unix), the upstream pointed at it, nothing listening
   * on a TCP port that another local process could reach.
   */
  @Test
  void behindNginxOnAUnixSocketNoLocalProcessCanClaimAUser() throws Exception {
    Path socket = Files.createDirectories(dir.resolve("run")).resolve("goosed.sock");
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_PATH_ROOT", dir.resolve("goose").toString());
    env.put("GOOSE_UNIX_SOCKET", socket.toString());
    env.put("GOOSE_AUTH", "proxy");
    env.put("GOOSE_TRUSTED_PROXIES", "unix");
    Files.createDirectories(dir.resolve("home"));
    GooseServer server = closer.add(GooseServer.start(Config.load(env, dir.resolve("home"))));
    assertThat(server.port()).as("no TCP port").isEqualTo(-1);
    SelfSignedTls tls = SelfSignedTls.create(dir);
    NginxProxy nginx =
        closer.add(NginxProxy.start(dir.resolve("nginx"), "unix:" + socket, tls, USERS));
    ProxyClient alice = client(nginx, tls, "alice", "alice-password");
    ProxyClient bob = client(nginx, tls, "bob", "bob-password");
    String aliceSession = createSession(alice);
    assertThat(alice.get("/sessions").json().get("sessions").toString()).contains(aliceSession);
    assertThat(bob.get("/sessions/" + aliceSession, "X-Remote-User", "alice").status())
        .isEqualTo(404);
    String origin = "https://127.0.0.1:" + nginx.httpsPort;
    String body = "{\"cwd\":\"" + dir + "\",\"name\":\"from a page\"}";
    assertThat(alice.post("/sessions", body, "Origin", origin).status()).isEqualTo(201);
    assertThat(alice.post("/sessions", body, "Origin", "https://evil.example").status())
        .isEqualTo(403);
  }

  private record Goosed(
      FakeOpenAiServer provider, GooseServer server, NginxProxy nginx, SelfSignedTls tls) {}

  private Goosed startGoosed() throws Exception {
    FakeOpenAiServer provider = closer.add(new FakeOpenAiServer());
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_PATH_ROOT", dir.resolve("goose").toString());
    env.put("GOOSE_HOST", "127.0.0.1");
    env.put("GOOSE_PORT", "0");
    env.put("GOOSE_AUTH", "proxy");
    env.put("GOOSE_TRUSTED_PROXIES", "127.0.0.1");
    env.put("GOOSE_PROVIDER", "openai");
    env.put("OPENAI_HOST", provider.baseUri().toString());
    env.put("OPENAI_API_KEY", "sk-test");
    Files.createDirectories(dir.resolve("home"));
    GooseServer server = closer.add(GooseServer.start(Config.load(env, dir.resolve("home"))));
    SelfSignedTls tls = SelfSignedTls.create(dir);
    NginxProxy nginx =
        closer.add(NginxProxy.start(dir.resolve("nginx"), server.port(), tls, USERS));
    return new Goosed(provider, server, nginx, tls);
  }

  private String createSession(ProxyClient client) throws Exception {
    ProxyClient.Reply created =
        client.post("/sessions", "{\"cwd\":\"" + dir + "\",\"name\":\"via nginx\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private static ProxyClient client(
      NginxProxy nginx, SelfSignedTls tls, String user, String password) {
    return new ProxyClient(
        tls.clientContext(),
        URI.create("https://127.0.0.1:" + nginx.httpsPort),
        Optional.of(user),
        password);
  }

  private static ProxyClient anonymous(NginxProxy nginx, SelfSignedTls tls) {
    return new ProxyClient(
        tls.clientContext(),
        URI.create("https://127.0.0.1:" + nginx.httpsPort),
        Optional.empty(),
        "");
  }

  /** Closes what a test started, last first. */
  private static final class AutoCloser {
    private final java.util.Deque<AutoCloseable> open = new java.util.ArrayDeque<>();

    <T extends AutoCloseable> T add(T resource) {
      open.push(resource);
      return resource;
    }

    void close() throws Exception {
      Exception first = null;
      while (!open.isEmpty()) {
        try {
          open.pop().close();
        } catch (Exception e) {
          if (first == null) first = e;
          else first.addSuppressed(e);
        }
      }
      if (first != null) throw first;
    }
  }
}

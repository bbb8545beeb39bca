package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import goose.config.Config;
import goose.provider.fake.FakeExchange;
import goose.provider.fake.FakeOpenAiServer;
import goose.server.GooseServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented nginx configuration (deploy/nginx/goosed.conf) run by the real nginx binary, with TLS
 * and basic auth, in front of a real goosed on loopback with a fake provider. Needs nginx installed:
 * without it every test fails saying how to install it ({@code bash .ci/run} does).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NginxProxyTest {
  private static final Map<String, String> USERS = Map.of("alice", "alice-password", "bob", "bob-password");

  @TempDir Path dir;
  private final AutoCloser closer = new AutoCloser();

  @AfterEach
  void stop() throws Exception {
    closer.close();
  }

  @Test
  void passesTheUserNginxCheckedAndNeverOneTheClientClaims() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    HttpServer echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    echo.createContext("/", exchange -> {
      hits.incrementAndGet();
      StringBuilder body = new StringBuilder();
      exchange.getRequestHeaders().forEach((k, v) -> body.append(k.toLowerCase()).append(": ").append(String.join(",", v)).append('\n'));
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    echo.start();
    closer.add(() -> echo.stop(0));
    SelfSignedTls tls = SelfSignedTls.create(dir);
    NginxProxy nginx = closer.add(NginxProxy.start(dir.resolve("nginx"), echo.getAddress().getPort(), tls, USERS));

    ProxyClient alice = client(nginx, tls, "alice", "alice-password");
    String seen = alice.get("/sessions", "X-Remote-User", "bob").body();
    assertThat(seen).contains("x-remote-user: alice\n").doesNotContain("bob").doesNotContain("authorization:");
    assertThat(seen).contains("x-forwarded-proto: https\n").contains("x-real-ip: 127.0.0.1\n");

    int before = hits.get();
    assertThat(client(nginx, tls, "bob", "wrong").get("/sessions").status()).isEqualTo(401);
    assertThat(anonymous(nginx, tls).get("/sessions", "X-Remote-User", "alice").status()).isEqualTo(401);
    assertThat(hits.get()).as("unauthenticated requests never reach goosed").isEqualTo(before);

    // /status is open for monitors, and carries no user even when a client sends one.
    ProxyClient.Reply status = anonymous(nginx, tls).get("/status", "X-Remote-User", "alice");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.body()).doesNotContain("x-remote-user");

    // Plain HTTP only redirects to HTTPS.
    ProxyClient plain = new ProxyClient(tls.clientContext(), URI.create("http://127.0.0.1:" + nginx.httpPort), Optional.empty(), "");
    ProxyClient.Reply redirect = plain.get("/sessions");
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.response().headers().firstValue("location")).hasValueSatisfying(l -> assertThat(l).startsWith("https://"));
  }

  @Test
  void streamsAReplyThroughTheProxyEventByEventNotBuffered() throws Exception {
    Goosed goosed = startGoosed();
    ProxyClient alice = client(goosed.nginx, goosed.tls, "alice", "alice-password");
    String session = createSession(alice);

    // Three chunks 200 ms apart, then the provider holds its reply open until released.
    FakeExchange reply = goosed.provider.enqueue(
        FakeOpenAiServer.text("first", " second", " third").withChunkDelay(Duration.ofMillis(200)).heldBeforeEnding());
    long opened = System.nanoTime();
    try (ProxyClient.EventStream sse = alice.stream("/sessions/" + session + "/messages", Optional.of("{\"content\":\"count to three\"}"))) {
      assertThat(sse.status).isEqualTo(200);
      assertThat(sse.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
      StringBuilder text = new StringBuilder();
      while (!text.toString().equals("first second third")) {
        ProxyClient.EventStream.Event e = sse.next().orElseThrow(() -> new AssertionError("the stream ended before the chunks arrived"));
        if (e.name().equals("message_chunk")) {
          text.append(e.data().get("text").asText());
          if (text.toString().equals("first")) {
            System.out.printf("nginx test: first event through the proxy %d ms after the request%n", (System.nanoTime() - opened) / 1_000_000);
          }
        }
      }
      // Every chunk came through while the provider had not finished its reply: nothing waited for the end.
      assertThat(reply.closedEarlyFuture()).isNotDone();
      reply.release();
      List<ProxyClient.EventStream.Event> rest = sse.untilComplete();
      assertThat(rest.getLast().name()).isEqualTo("message_complete");
      assertThat(rest.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
    }
    JsonNode stored = alice.get("/sessions/" + session).json();
    assertThat(stored.get("messages").get(1).get("content").get(0).get("text").asText()).isEqualTo("first second third");
  }

  private record Goosed(FakeOpenAiServer provider, GooseServer server, NginxProxy nginx, SelfSignedTls tls) {}

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
    NginxProxy nginx = closer.add(NginxProxy.start(dir.resolve("nginx"), server.port(), tls, USERS));
    return new Goosed(provider, server, nginx, tls);
  }

  private String createSession(ProxyClient client) throws Exception {
    ProxyClient.Reply created = client.post("/sessions", "{\"cwd\":\"" + dir + "\",\"name\":\"via nginx\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private static ProxyClient client(NginxProxy nginx, SelfSignedTls tls, String user, String password) {
    return new ProxyClient(tls.clientContext(), URI.create("https://127.0.0.1:" + nginx.httpsPort), Optional.of(user), password);
  }

  private static ProxyClient anonymous(NginxProxy nginx, SelfSignedTls tls) {
    return new ProxyClient(tls.clientContext(), URI.create("https://127.0.0.1:" + nginx.httpsPort), Optional.empty(), "");
  }

  /** Closes what a test started, last first. */
  private static final class AutoCloser implements AutoCloseable {
    private final java.util.Deque<AutoCloseable> open = new java.util.ArrayDeque<>();

    <T extends AutoCloseable> T add(T resource) {
      open.push(resource);
      return resource;
    }

    @Override
    public void close() throws Exception {
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

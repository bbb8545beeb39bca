package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.provider.fake.FakeOpenAiServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One user cannot take what others need: the per-user cap on open event streams, and the deadline
 * for a request's headers (slowloris), on a real server.
 */
@Timeout(180)
// First of the module's classes (the POM orders classes by @Order): most of its half minute is
// spent waiting for the server's 15 s keep-alive, so it overlaps the others instead of being last.
@Order(1)
class ResourceLimitsTest {
  @TempDir Path root;
  private TestServer server;
  private FakeOpenAiServer openai;
  private final List<SseClient> streams = new ArrayList<>();

  @AfterEach
  void stop() {
    streams.forEach(SseClient::close);
    if (server != null) server.close();
    if (openai != null) openai.close();
  }

  private void start(String... pairs) {
    openai = new FakeOpenAiServer();
    Map<String, String> env =
        TestServer.withProvider(
            openai, "GOOSE_AUTH", "proxy", "GOOSE_TRUSTED_PROXIES", "127.0.0.1");
    for (int i = 0; i + 1 < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    server = TestServer.start(root, env);
  }

  private String session(String user) {
    Exchange created =
        Exchange.send(
            server.server.uri(),
            "POST",
            "/sessions",
            "{\"cwd\":\"" + root + "\"}",
            "X-Remote-User",
            user);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return goose.json.Json.parse(created.body()).get("id").asText();
  }

  private SseClient follow(String user, String sessionId) {
    SseClient sse =
        SseClient.get(
            server.server.uri(), "/sessions/" + sessionId + "/events", "X-Remote-User", user);
    streams.add(sse);
    return sse;
  }

  @Test
  void aUserOverTheStreamCapGets429AndEveryoneElseIsStillServed() throws Exception {
    start("GOOSE_MAX_STREAMS_PER_USER", "3");
    String alices = session("alice");
    String bobs = session("bob");
    List<SseClient> open = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SseClient s = follow("alice", alices);
      assertThat(s.status).isEqualTo(200);
      open.add(s);
    }
    SseClient refused = follow("alice", alices);
    assertThat(refused.status).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isEqualTo("5");
    String body = refused.body();
    assertThat(body).contains("too_many_requests").contains("GOOSE_MAX_STREAMS_PER_USER");
    Exchange turn = send("alice", alices, "text/event-stream");
    assertThat(turn.status()).as("a streamed turn is a stream too").isEqualTo(429);
    assertThat(server.server.context().turns().isRunning(alices))
        .as("and no turn was started")
        .isFalse();

    SseClient bobsStream = follow("bob", bobs);
    assertThat(bobsStream.status).as("another user is still served").isEqualTo(200);
    assertThat(Exchange.send(server.server.uri(), "GET", "/status", null).status()).isEqualTo(200);
    assertThat(
            Exchange.send(server.server.uri(), "GET", "/sessions", null, "X-Remote-User", "alice")
                .status())
        .as("plain requests of the capped user too")
        .isEqualTo(200);
    openai.enqueue(FakeOpenAiServer.text("for bob"));
    try (SseClient bobsTurn =
        SseClient.post(
            server.server.uri(),
            "/sessions/" + bobs + "/messages",
            "{\"content\":\"hi\"}",
            "X-Remote-User",
            "bob")) {
      assertThat(bobsTurn.status).isEqualTo(200);
      assertThat(TurnRoutesTest.texts(bobsTurn.untilComplete())).isEqualTo("for bob");
    }

    open.getFirst().close();
    // The server notices the closed stream at its next write (a keep-alive).
    SseClient again =
        await("a closed stream frees its place")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  SseClient attempt = follow("alice", alices);
                  if (attempt.status != 200) attempt.close();
                  return attempt;
                },
                attempt -> attempt.status == 200);
    assertThat(again.status).as("a closed stream frees its place").isEqualTo(200);
    again.close();
  }

  @Test
  void aConnectionThatSendsItsHeadersTooSlowlyIsCutAndOthersAreServed() throws Exception {
    start("GOOSE_HEADER_TIMEOUT", "2");
    String alices = session("alice");
    SseClient stream = follow("alice", alices);
    assertThat(stream.status).isEqualTo(200);

    long started = System.nanoTime();
    try (Socket slow = new Socket("127.0.0.1", server.server.port());
        Socket silent = new Socket("127.0.0.1", server.server.port())) {
      slow.setSoTimeout(500);
      silent.setSoTimeout(500);
      OutputStream out = slow.getOutputStream();
      byte[] head =
          ("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "x".repeat(100))
              .getBytes(StandardCharsets.ISO_8859_1);
      boolean slowCut = false;
      boolean silentCut = false;
      for (int i = 0; i < head.length && !(slowCut && silentCut); i++) {
        if (System.nanoTime() - started > 30_000_000_000L) break;
        if (!slowCut) {
          try {
            out.write(head[i]); // one byte every half second: the idle timeout never fires
            out.flush();
          } catch (java.io.IOException closed) {
            slowCut = true;
          }
          slowCut |= closed(slow.getInputStream());
        }
        silentCut |= closed(silent.getInputStream());
        if (i == 4)
          assertThat(Exchange.send(server.server.uri(), "GET", "/status", null).status())
              .as("others are served meanwhile")
              .isEqualTo(200);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      assertThat(slowCut).as("a trickled request head is cut (after %.1f s)", seconds).isTrue();
      assertThat(silentCut).as("a connection that sends nothing is cut").isTrue();
      assertThat(seconds).as("within the timeout and a sweep or two").isLessThan(15);
    }

    openai.enqueue(FakeOpenAiServer.text("still streaming"));
    Exchange turn = send("alice", alices, "application/json");
    assertThat(turn.status()).isEqualTo(202);
    List<SseClient.Event> events = stream.untilComplete();
    assertThat(TurnRoutesTest.texts(events))
        .as("an event stream older than the header timeout was not cut")
        .isEqualTo("still streaming");
  }

  /** Sends "hi" to a session as {@code user}, accepting {@code accept}. */
  private Exchange send(String user, String sessionId, String accept) {
    return Exchange.send(
        server.server.uri(),
        "POST",
        "/sessions/" + sessionId + "/messages",
        "{\"content\":\"hi\"}",
        "X-Remote-User",
        user,
        "Accept",
        accept);
  }

  /** Whether the server closed the connection (end of stream), waiting up to the read timeout. */
  private static boolean closed(InputStream in) throws java.io.IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import goose.agent.Agent;
import goose.agent.TurnService;
import goose.json.Json;
import goose.provider.fake.FakeOpenAiServer;
import goose.server.http.CredentialCheck;
import goose.user.IssuedToken;
import goose.user.UserStore;
import goose.user.UserStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goose users remove} and {@code goose users rotate} take effect on what is already running,
 * on a real server (tokens mode, a real SQLite store, the users changed through a store of their
 * own, as the CLI does from its process): a removed user's turn stops before its next tool call and
 * model call, ending with a {@code user_removed} error, and an open event stream ends once its
 * token no longer authenticates. {@link PostgresRevokedUserTest} runs the same on PostgreSQL with
 * two instances, the event streams on the one that does not run the turn.
 */
@Timeout(120)
class RevokedUserTest {
  /** An open stream ends within this after its token stopped authenticating. */
  static final Duration STREAM_END = CredentialCheck.INTERVAL.plusSeconds(5);

  @TempDir Path root;
  FakeOpenAiServer openai;
  TestServer server;

  /** The instance that serves the event streams: this one, or another on the same store. */
  TestServer streams;

  Path workspaces;

  /** The store's settings: none here (SQLite in the data dir). */
  Map<String, String> storeSettings() {
    return Map.of();
  }

  /** Whether a second instance on the same store serves the event streams. */
  boolean secondInstance() {
    return false;
  }

  @BeforeEach
  void start() throws Exception {
    openai = new FakeOpenAiServer();
    workspaces = Files.createDirectories(root.resolve("workspaces"));
    Map<String, String> env =
        new java.util.HashMap<>(
            TestServer.withProvider(
                openai,
                "GOOSE_AUTH",
                "tokens",
                "GOOSE_WORKSPACES_ROOT",
                workspaces.toString(),
                "GOOSE_SANDBOX",
                "off",
                "GOOSE_RATE_LIMIT",
                "0"));
    env.putAll(storeSettings());
    server = TestServer.start(root.resolve("a"), env);
    streams = secondInstance() ? TestServer.start(root.resolve("b"), env) : server;
  }

  @AfterEach
  void stop() {
    if (streams != null && streams != server) streams.close();
    if (server != null) server.close();
    if (openai != null) openai.close();
  }

  private IssuedToken addUser(String name) {
    try (UserStore users = UserStores.open(server.config)) {
      return users.add(name, false);
    }
  }

  private static String[] bearer(IssuedToken token) {
    return new String[] {"Authorization", "Bearer " + token.token()};
  }

  /** A session of {@code user} working in its workspace (created). */
  private String session(String name, IssuedToken user) throws Exception {
    Path home = Files.createDirectories(workspaces.resolve(name));
    Exchange created =
        Exchange.send(
            server.server.uri(),
            "POST",
            "/sessions",
            "{\"cwd\":" + Json.write(home.toString()) + "}",
            bearer(user));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return Json.parse(created.body()).get("id").asText();
  }

  /** The events of {@code stream} until it ends; fails when it does not end within {@code max}. */
  private static List<SseClient.Event> untilEnd(SseClient stream, Duration max) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> {
              List<SseClient.Event> events = new ArrayList<>();
              try {
                for (var e = stream.next(); e.isPresent(); e = stream.next()) events.add(e.get());
              } catch (java.io.IOException ended) {
                // the server closed the stream
              }
              return events;
            })
        .get(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String shell(String command) {
    return Json.write(Json.object().put("command", command));
  }

  @Test
  void aRemovedUsersTurnRunsNoFurtherToolCallAndEndsWithTheError() throws Exception {
    IssuedToken dave = addUser("dave");
    String id = session("dave", dave);
    Path home = workspaces.resolve("dave");
    // The model's first reply runs a tool; its second, slow to come, asks for another one.
    openai.enqueue(
        FakeOpenAiServer.script()
            .toolCall(0, "call_1", "developer__shell", shell("touch first"))
            .build());
    openai.enqueue(
        FakeOpenAiServer.script()
            .toolCall(0, "call_2", "developer__shell", shell("touch second"))
            .build()
            .withFirstByteDelay(Duration.ofSeconds(1))
            .withChunkDelay(Duration.ofMillis(300)));

    try (SseClient events =
            SseClient.get(streams.server.uri(), "/sessions/" + id + "/events", bearer(dave));
        SseClient turn =
            SseClient.post(
                server.server.uri(),
                "/sessions/" + id + "/messages",
                "{\"content\":\"go\"}",
                bearer(dave))) {
      assertThat(turn.status).isEqualTo(200);
      assertThat(events.status).isEqualTo(200);
      openai.awaitRequests(2, Duration.ofSeconds(30)); // the first call ran: the turn waits
      assertThat(home.resolve("first")).exists();
      try (UserStore users = UserStores.open(server.config)) { // as goose users remove does
        assertThat(users.remove("dave")).isTrue();
      }
      long removed = System.nanoTime();

      List<SseClient.Event> seen = turn.untilComplete();

      assertThat(seen)
          .filteredOn(e -> e.name().equals("turn_error"))
          .singleElement()
          .satisfies(e -> assertThat(e.data().get("code").asText()).isEqualTo(Agent.USER_REMOVED));
      assertThat(seen.getLast().data().get("stop_reason").asText()).isEqualTo("error");
      assertThat(home.resolve("second")).as("the tool call after the removal").doesNotExist();
      assertThat(seen)
          .filteredOn(e -> e.name().equals("tool_result"))
          .extracting(e -> e.data().get("id").asText() + " " + e.data().get("status").asText())
          .doesNotContain("call_2 success");
      assertThat(openai.requests()).as("no model call after the removal").hasSize(2);
      assertThat(Duration.ofNanos(System.nanoTime() - removed))
          .as("the turn stops within the sweep, whatever the model does")
          .isLessThan(TurnService.OWNER_SWEEP.plusSeconds(5));

      // The removed user's open event stream ends too (after the turn's events it was sent).
      List<SseClient.Event> followed = untilEnd(events, STREAM_END);
      assertThat(followed).extracting(SseClient.Event::name).contains("turn_error");
    }
    assertThat(home.resolve("second")).doesNotExist();
    assertThat(Exchange.send(server.server.uri(), "GET", "/sessions", null, bearer(dave)).status())
        .isEqualTo(401);
  }

  @Test
  void anOpenEventStreamEndsOnceItsTokenIsRotated() throws Exception {
    IssuedToken erin = addUser("erin");
    IssuedToken frank = addUser("frank");
    String erins = session("erin", erin);
    String franks = session("frank", frank);
    try (SseClient erinsStream =
            SseClient.get(streams.server.uri(), "/sessions/" + erins + "/events", bearer(erin));
        SseClient franksStream =
            SseClient.get(streams.server.uri(), "/sessions/" + franks + "/events", bearer(frank))) {
      assertThat(erinsStream.status).isEqualTo(200);
      assertThat(franksStream.status).isEqualTo(200);
      IssuedToken rotated;
      try (UserStore users = UserStores.open(server.config)) {
        rotated = users.rotate("erin").orElseThrow();
      }
      long start = System.nanoTime();

      assertThat(untilEnd(erinsStream, STREAM_END)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(STREAM_END);

      // frank's stream, whose token still works, is still open: it gets the events of a turn.
      openai.enqueue(FakeOpenAiServer.text("still here"));
      Exchange sent =
          Exchange.send(
              server.server.uri(),
              "POST",
              "/sessions/" + franks + "/messages",
              "{\"content\":\"hi\"}",
              "Authorization",
              "Bearer " + frank.token(),
              "Accept",
              "application/json");
      assertThat(sent.status()).as(sent.body()).isEqualTo(202);
      assertThat(franksStream.untilComplete()).extracting(SseClient.Event::name).contains("usage");
      // The new token opens a new stream.
      try (SseClient again =
          SseClient.get(streams.server.uri(), "/sessions/" + erins + "/events", bearer(rotated))) {
        assertThat(again.status).isEqualTo(200);
      }
    }
  }

  @Test
  void anAcpStreamAndWebSocketEndOnceTheirUserIsRemoved() throws Exception {
    IssuedToken gina = addUser("gina");
    String init =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":1}}";
    Exchange initialized = Exchange.send(server.server.uri(), "POST", "/acp", init, bearer(gina));
    assertThat(initialized.status()).as(initialized.body()).isEqualTo(200);
    String connection = initialized.headers().get("acp-connection-id").getFirst();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    java.net.http.WebSocket socket =
        java.net.http.HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                java.net.URI.create(
                    "ws://127.0.0.1:" + server.server.port() + "/acp?token=" + gina.token()),
                new java.net.http.WebSocket.Listener() {
                  @Override
                  public java.util.concurrent.CompletionStage<?> onClose(
                      java.net.http.WebSocket ws, int status, String reason) {
                    closed.complete(status);
                    return null;
                  }

                  @Override
                  public void onError(java.net.http.WebSocket ws, Throwable error) {
                    closed.completeExceptionally(error);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try (SseClient stream =
        SseClient.get(
            server.server.uri(),
            "/acp",
            "Authorization",
            "Bearer " + gina.token(),
            "Acp-Connection-Id",
            connection)) {
      assertThat(stream.status).isEqualTo(200);
      try (UserStore users = UserStores.open(server.config)) {
        assertThat(users.remove("gina")).isTrue();
      }
      long start = System.nanoTime();

      assertThat(closed.get(STREAM_END.toMillis(), TimeUnit.MILLISECONDS))
          .as("policy violation")
          .isEqualTo(1008);
      // The stream carries JSON-RPC messages, not turn events: read as text, up to its end.
      CompletableFuture.runAsync(
              () -> {
                try {
                  stream.body();
                } catch (java.io.IOException ended) {
                  // the server closed it
                }
              })
          .get(STREAM_END.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(STREAM_END.plus(STREAM_END));
    } finally {
      socket.abort();
    }
  }
}

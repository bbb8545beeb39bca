package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.provider.fake.FakeExchange;
import goose.provider.fake.FakeOpenAiServer;
import goose.session.InstanceRegistry;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.session.TestPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real goosed instances on one real PostgreSQL (embedded), each with its own directories, no
 * sticky sessions: whatever one instance does, the other sees and can act on.
 *
 * <p>One pair of instances serves the tests that need nothing but their own session (tests of a
 * class run one after another); the kill test has its own database and instances, as it counts the
 * instances registered there.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiInstanceTest {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();

  /**
   * Short so the takeover test is quick, long enough that a loaded machine renews it in time (at 2
   * s, a CI run at load 26 let A's lease lapse mid-turn, and B deleted the session A was running);
   * -Dgoose.test.lease=10 measures the default.
   */
  private static final String LEASE_SECONDS = System.getProperty("goose.test.lease", "5");

  @TempDir static Path root;
  static FakeOpenAiServer openai;
  static String databaseUrl;
  static TestServer a;
  static TestServer b;

  @BeforeAll
  static void startPair() {
    openai = new FakeOpenAiServer();
    databaseUrl = postgres.newDatabaseUrl();
    a = TestServer.start(root.resolve("a"), env(databaseUrl, "a"));
    b = TestServer.start(root.resolve("b"), env(databaseUrl, "b"));
  }

  @AfterAll
  static void stopPair() {
    for (AutoCloseable c : new AutoCloseable[] {a, b, openai}) {
      try {
        if (c != null) c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * The environment of one instance: the database, a short turn lease, the fake provider, and the
   * instance id {@code instance} (generated when empty).
   */
  static Map<String, String> env(String databaseUrl, String instance) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_DATABASE_URL", databaseUrl);
    env.put("GOOSE_TURN_LEASE", LEASE_SECONDS);
    if (!instance.isEmpty()) env.put("GOOSE_INSTANCE_ID", instance);
    env.put("GOOSE_PROVIDER", "openai");
    env.put("OPENAI_HOST", openai.baseUri().toString());
    env.put("OPENAI_API_KEY", "sk-test");
    return env;
  }

  String createSession(TestServer server, String name) {
    return server
        .client
        .post(
            "/sessions",
            "{\"cwd\":" + goose.json.Json.write(root.toString()) + ",\"name\":\"" + name + "\"}")
        .json()
        .get("id")
        .asText();
  }

  static SseClient sendOn(TestServer server, String sessionId, String text) {
    return sendOn(server.server.uri(), sessionId, text);
  }

  static SseClient sendOn(URI base, String sessionId, String text) {
    return SseClient.post(
        base, "/sessions/" + sessionId + "/messages", "{\"content\":\"" + text + "\"}");
  }

  static SseClient followOn(URI base, String sessionId) {
    return SseClient.get(base, "/sessions/" + sessionId + "/events");
  }

  static SseClient.Event nextEvent(SseClient sse) throws Exception {
    return sse.next().orElseThrow(() -> new AssertionError("the event stream ended"));
  }

  @Test
  void aSessionCreatedOnOneInstanceIsReadListedRenamedAndDeletedOnTheOther() {
    String id = createSession(a, "made on a");

    JsonNode onB = b.client.get("/sessions/" + id).json();
    assertThat(onB.get("name").asText()).isEqualTo("made on a");
    assertThat(b.client.get("/sessions").json().get("sessions").findValuesAsText("id"))
        .contains(id);

    b.client.patch("/sessions/" + id, "{\"name\":\"renamed on b\"}").json();
    assertThat(a.client.get("/sessions/" + id).json().get("name").asText())
        .isEqualTo("renamed on b");

    assertThat(b.client.delete("/sessions/" + id).status()).isEqualTo(204);
    assertThat(a.client.get("/sessions/" + id).status()).isEqualTo(404);
  }

  @Test
  void aClientOnTheOtherInstanceReceivesTheEventsOfATurnLiveAndA409ForASecondTurn()
      throws Exception {
    String id = createSession(a, "live");
    // The reply streams slowly and cannot end until released: whatever B sees before the release is
    // live.
    FakeExchange reply =
        openai.enqueue(
            FakeOpenAiServer.text("one ", "two ", "three ", "four")
                .withChunkDelay(Duration.ofMillis(150))
                .heldBeforeEnding());

    try (SseClient onB = followOn(b.server.uri(), id);
        SseClient onA = sendOn(a, id, "count")) {
      assertThat(onA.status).isEqualTo(200);
      StringBuilder seenOnB = new StringBuilder();
      long started = System.nanoTime();
      while (!seenOnB.toString().equals("one two three four")) {
        SseClient.Event e = nextEvent(onB);
        assertThat(e.name()).isEqualTo("message_chunk");
        seenOnB.append(e.data().get("text").asText());
        assertThat("one two three four").startsWith(seenOnB.toString());
      }
      System.out.printf(
          "cross-instance: B saw the whole reply %d ms after the turn started on A, before it ended%n",
          (System.nanoTime() - started) / 1_000_000);
      // The turn on A is still running (its reply is held): a turn started on B is refused.
      b.client
          .post("/sessions/" + id + "/messages", "{\"content\":\"me too\"}")
          .error(409, "conflict");
      assertThat(b.client.delete("/sessions/" + id).status()).isEqualTo(409);

      reply.release();
      assertThat(nextEvent(onB).name()).isEqualTo("usage"); // the model call's, then the turn's end
      SseClient.Event complete = nextEvent(onB);
      assertThat(complete.name()).isEqualTo("message_complete");
      assertThat(complete.data().get("stop_reason").asText()).isEqualTo("end_turn");
      assertThat(onA.untilComplete().getLast().id()).isEqualTo(complete.id());
    }
    // Now B can run the next turn of the same session.
    openai.enqueue(FakeOpenAiServer.text("from b"));
    try (SseClient second = sendOn(b, id, "again")) {
      assertThat(second.untilComplete().getLast().data().get("stop_reason").asText())
          .isEqualTo("end_turn");
    }
    assertThat(a.client.get("/sessions/" + id).json().get("message_count").asInt()).isEqualTo(4);
  }

  @Test
  void cancelOnTheOtherInstanceStopsTheTurnWhereItRuns() throws Exception {
    String id = createSession(a, "cancel me");
    FakeExchange stalled = openai.enqueue(FakeOpenAiServer.text("thinking", " hard").stallAfter(2));

    try (SseClient onA = sendOn(a, id, "slow")) {
      assertThat(nextEvent(onA).name()).isEqualTo("message_chunk");
      long asked = System.nanoTime();
      JsonNode cancel = b.client.post("/sessions/" + id + "/cancel", "{}").json();
      assertThat(cancel.get("cancelled").asBoolean()).isTrue();
      List<SseClient.Event> rest = onA.untilComplete();
      System.out.printf(
          "cross-instance cancel: the turn on A ended %d ms after the cancel on B%n",
          (System.nanoTime() - asked) / 1_000_000);
      assertThat(rest.getLast().data().get("stop_reason").asText()).isEqualTo("cancelled");
    }
    assertThat(stalled.clientClosedEarly()).isTrue();
    assertThat(
            b.client.post("/sessions/" + id + "/cancel", "{}").json().get("cancelled").asBoolean())
        .isFalse();
  }

  /**
   * kill -9 for real: instance A runs in its own JVM and is killed with SIGKILL (destroyForcibly)
   * while its turn waits on a tool call. B, the survivor, must close the turn (the tool call
   * answered as interrupted, error + message_complete in the log) once A's lease lapses, and then
   * take new turns. Neither has a configured instance id: the two started side by side get distinct
   * generated ids (the id once held time bits only, so they collided), so the survivor does not
   * take the dead one's turn for its own.
   */
  @Test
  void whenAnInstanceIsKilledMidTurnTheSurvivorClosesItsTurnAndTakesNewTurns(@TempDir Path own)
      throws Exception {
    String database = postgres.newDatabaseUrl();
    ServerProcess killedA = ServerProcess.start(own.resolve("a"), env(database, ""));
    List<ProcessHandle> children = new ArrayList<>();
    try (TestServer survivorB = TestServer.start(own.resolve("b"), env(database, ""))) {
      String id = createSession(survivorB, "survivor");
      openai.enqueue(
          FakeOpenAiServer.script()
              .text("Let me wait.")
              .toolCall(0, "call_1", "developer__shell", "{\"command\":", "\"sleep 120\"}")
              .build());

      ApiClient aClient = killedA.awaitStarted(Duration.ofSeconds(90));
      List<InstanceRegistry.Instance> registered = registered(database);
      assertThat(registered).hasSize(2);
      assertThat(registered.get(0).id()).isNotEqualTo(registered.get(1).id());
      assertThat(registered)
          .extracting(InstanceRegistry.Instance::pid)
          .contains(killedA.process.pid(), ProcessHandle.current().pid());
      assertThat(
              aClient
                  .send(
                      "POST",
                      "/sessions/" + id + "/messages",
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "{\"content\":\"wait a while\"}"),
                      "application/json",
                      "Accept",
                      "application/json")
                  .status())
          .isEqualTo(202);

      try (SseClient onB = followOn(survivorB.server.uri(), id)) {
        SseClient.Event e;
        do {
          e = nextEvent(onB);
        } while (!e.name().equals("tool_call"));
        survivorB
            .client
            .post("/sessions/" + id + "/messages", "{\"content\":\"not now\"}")
            .error(409, "conflict");

        children.addAll(killedA.process.descendants().toList());
        long killed = System.nanoTime();
        killedA
            .kill(); // SIGKILL: no shutdown hook, no clean-up, the lease simply stops being renewed

        List<String> after = new ArrayList<>();
        do {
          e = nextEvent(onB);
          after.add(e.name());
        } while (!e.name().equals("message_complete"));
        long takeoverMs = (System.nanoTime() - killed) / 1_000_000;
        System.out.printf(
            "takeover: B closed the turn of killed instance A %d ms after the kill (lease %s s)%n",
            takeoverMs, LEASE_SECONDS);
        assertThat(after).containsSubsequence("turn_error", "message_complete");
        assertThat(e.data().get("stop_reason").asText()).isEqualTo("error");
        assertThat(takeoverMs).as("well under a minute").isLessThan(30_000);
      }

      JsonNode messages = survivorB.client.get("/sessions/" + id).json().get("messages");
      JsonNode answer = messages.get(messages.size() - 1).get("content").get(0);
      assertThat(answer.get("type").asText()).isEqualTo("tool_response");
      assertThat(answer.get("id").asText()).isEqualTo("call_1");
      assertThat(answer.toString()).contains("interrupted");

      openai.enqueue(FakeOpenAiServer.text("back on b"));
      try (SseClient next = sendOn(survivorB, id, "and now?")) {
        List<SseClient.Event> events = next.untilComplete();
        assertThat(events.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
      }
    } finally {
      killedA.close();
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  static List<InstanceRegistry.Instance> registered(String databaseUrl) {
    try (SessionStore store = SessionStores.openPostgres(databaseUrl)) {
      return SessionStores.instances(store).all();
    }
  }
}

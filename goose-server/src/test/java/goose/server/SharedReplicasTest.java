package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.provider.fake.FakeOpenAiServer;
import goose.session.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
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
 * Two real servers on one embedded PostgreSQL, each with its own data directory and config.yaml, no
 * sticky sessions: what a user sees does not depend on the replica. A todo list or a memory written
 * by a tool on one replica is read by a tool on the other, and extensions added, enabled or deleted
 * through the API on one are served the same way by the other.
 *
 * <p>The replicas run in this JVM (as in {@link MultiInstanceTest}): nothing here needs a process
 * of its own (no kill), and the servers share no state but the database (the built-in extensions
 * keep theirs in the session store). One pair serves the whole class: every test uses sessions and
 * an extension name of its own.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SharedReplicasTest {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();

  @TempDir static Path root;
  static FakeOpenAiServer openai;
  static TestServer a;
  static TestServer b;
  static ApiClient onA;
  static ApiClient onB;
  static String databaseUrl;

  @BeforeAll
  static void setUp() {
    openai = new FakeOpenAiServer();
    Map<String, String> env = new HashMap<>();
    databaseUrl = postgres.newDatabaseUrl();
    env.put("GOOSE_DATABASE_URL", databaseUrl);
    env.put("GOOSE_TURN_LEASE", "2");
    env.put("GOOSE_PROVIDER", "openai");
    env.put("OPENAI_HOST", openai.baseUri().toString());
    env.put("OPENAI_API_KEY", "sk-test");
    a = TestServer.start(root.resolve("a"), env);
    b = TestServer.start(root.resolve("b"), env);
    onA = a.client;
    onB = b.client;
  }

  @AfterAll
  static void tearDown() {
    if (a != null) a.close();
    if (b != null) b.close();
    if (openai != null) openai.close();
  }

  @Test
  void aMessageTheStoreRefusedIsSentAgainWithItsRequestIdAndRuns() throws Exception {
    String id = createSession(onA);
    // The store refuses the user's message (a trigger, as a full disk or a failover would): 500.
    sql(
        "CREATE TABLE refuse_messages (x int)",
        "CREATE FUNCTION refuse_message() RETURNS trigger AS $$ BEGIN IF EXISTS (SELECT 1 FROM"
            + " refuse_messages) THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$"
            + " LANGUAGE plpgsql",
        "CREATE TRIGGER refuse BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION"
            + " refuse_message()",
        "INSERT INTO refuse_messages VALUES (1)");
    String body = "{\"content\":\"important\",\"request_id\":\"r-500\"}";
    try {
      assertThat(onA.post("/sessions/" + id + "/messages", body).status()).isEqualTo(500);
      sql("DELETE FROM refuse_messages");
      openai.enqueue(FakeOpenAiServer.text("stored at last"));
      // The retry starts the turn (its stream is the reply): before, it re-attached to a turn that
      // never ran, and its stream never ended.
      ApiClient.Response retried = onA.post("/sessions/" + id + "/messages", body);
      assertThat(retried.status()).as(retried.body()).isEqualTo(200);
      assertThat(retried.body())
          .contains("stored at last")
          .contains("\"stop_reason\":\"end_turn\"");
    } finally {
      sql("DROP TRIGGER IF EXISTS refuse ON messages");
    }
    assertThat(onA.get("/sessions/" + id).json().path("messages").findValuesAsText("text"))
        .containsExactly("important", "stored at last");
  }

  /** Runs statements on the replicas' database. */
  private static void sql(String... statements) throws Exception {
    String rest = databaseUrl.substring("postgresql://postgres:pw@".length());
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection("jdbc:postgresql://" + rest, "postgres", "pw");
        java.sql.Statement st = c.createStatement()) {
      for (String statement : statements) st.execute(statement);
    }
  }

  @Test
  void aSessionDeletedOnOneReplicaEndsItsFollowersOnTheOther() throws Exception {
    String id = createSession(onA);
    try (SseClient onTheOther = SseClient.get(b.server.uri(), "/sessions/" + id + "/events")) {
      assertThat(onTheOther.status).isEqualTo(200);
      assertThat(onA.delete("/sessions/" + id).status()).isEqualTo(204);
      // Within the follower's check interval (5 s), not never.
      long started = System.nanoTime();
      assertThat(onTheOther.next()).as("the stream ends").isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }
  }

  @Test
  void aTodoListWrittenOnOneReplicaIsReadOnTheOther() throws Exception {
    String id = createSession(onA);
    JsonNode written =
        toolTurn(a, id, "todo__todo_write", "{\"content\":\"- [ ] ship the fix\\n\"}");
    assertThat(written.toString()).contains("todo list saved");

    JsonNode read = toolTurn(b, id, "todo__todo_read", "{}");
    assertThat(read.toString()).contains("- [ ] ship the fix");
  }

  @Test
  void memoryEnabledAndWrittenOnOneReplicaIsServedAndReadOnTheOther() throws Exception {
    assertThat(onA.post("/extensions/memory/enable", "{}").json().get("enabled").asBoolean())
        .isTrue();
    assertThat(extension(onB, "memory").get("enabled").asBoolean())
        .as("enabled on A, so enabled on B")
        .isTrue();

    JsonNode remembered =
        toolTurn(
            a,
            createSession(onA),
            "memory__remember_memory",
            "{\"category\":\"team\",\"data\":\"replicas share memories\",\"is_global\":true}");
    assertThat(remembered.toString()).contains("remembered");

    JsonNode retrieved =
        toolTurn(
            b,
            createSession(onB),
            "memory__retrieve_memories",
            "{\"category\":\"team\",\"is_global\":true}");
    assertThat(retrieved.toString()).contains("replicas share memories");
  }

  @Test
  void anExtensionAddedOnOneReplicaIsListedByTheOtherAndADeleteReachesBoth() {
    String body =
        "{\"name\":\"docs\",\"type\":\"streamable_http\",\"uri\":\"http://127.0.0.1:9/mcp\","
            + "\"enabled\":false,\"description\":\"added on A\"}";
    assertThat(onA.post("/extensions", body).status()).isEqualTo(200);

    assertThat(extension(onB, "docs").get("description").asText()).isEqualTo("added on A");

    assertThat(onB.delete("/extensions/docs").status()).isEqualTo(204);
    assertThat(extensionNames(onA)).doesNotContain("docs");
    assertThat(onA.post("/extensions/docs/enable", "{}").status()).isEqualTo(404);
  }

  private static List<String> extensionNames(ApiClient api) {
    return api.get("/extensions").json().get("extensions").findValuesAsText("name");
  }

  private static JsonNode extension(ApiClient api, String name) {
    for (JsonNode e : api.get("/extensions").json().get("extensions"))
      if (e.get("name").asText().equals(name)) return e;
    throw new AssertionError("no extension " + name + " listed");
  }

  private static String createSession(ApiClient api) {
    return api.post("/sessions", "{\"cwd\":" + goose.json.Json.write(root.toString()) + "}")
        .json()
        .get("id")
        .asText();
  }

  /**
   * Runs a turn on {@code server} in which the model calls {@code tool} once and then answers;
   * returns the tool_result event's data.
   */
  private static JsonNode toolTurn(TestServer server, String sessionId, String tool, String args)
      throws Exception {
    openai.enqueue(FakeOpenAiServer.script().toolCall(0, "call_1", tool, args).build());
    openai.enqueue(FakeOpenAiServer.text("done"));
    try (SseClient sse = MultiInstanceTest.sendOn(server, sessionId, "use " + tool)) {
      List<SseClient.Event> events = sse.untilComplete();
      assertThat(events.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
      return events.stream()
          .filter(e -> e.name().equals("tool_result"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no tool_result in " + events))
          .data();
    }
  }
}

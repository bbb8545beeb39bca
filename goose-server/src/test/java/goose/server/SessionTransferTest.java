package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import goose.provider.fake.FakeOpenAiServer;
import goose.session.TestPostgres;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export from a goosed on PostgreSQL, import into a goosed on SQLite: the same conversation, a new
 * session.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SessionTransferTest {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();

  @TempDir Path root;
  FakeOpenAiServer openai;
  Map<String, String> provider;
  TestServer onSqlite;

  @BeforeEach
  void start() {
    openai = new FakeOpenAiServer();
    provider =
        Map.of(
            "GOOSE_PROVIDER",
            "openai",
            "OPENAI_HOST",
            openai.baseUri().toString(),
            "OPENAI_API_KEY",
            "sk-t");
    Map<String, String> small = new java.util.HashMap<>(provider);
    small.put("GOOSE_MAX_BODY_BYTES", "200000");
    onSqlite = TestServer.start(root.resolve("sqlite"), small);
  }

  @AfterEach
  void stop() {
    onSqlite.close();
    openai.close();
  }

  /** A server on a new PostgreSQL database (only the export test needs one). */
  TestServer startOnPostgres() {
    Map<String, String> pg = new java.util.HashMap<>(provider);
    pg.put("GOOSE_DATABASE_URL", postgres.newDatabaseUrl());
    return TestServer.start(root.resolve("pg"), pg);
  }

  @Test
  void exportFromPostgresImportsIntoSqliteWithAnIdenticalConversation() throws Exception {
    try (TestServer onPostgres = startOnPostgres()) {
      exportAndImport(onPostgres);
    }
  }

  private void exportAndImport(TestServer onPostgres) throws Exception {
    String id =
        onPostgres
            .client
            .post("/sessions", "{\"cwd\":" + Json.write(root.toString()) + ",\"name\":\"travels\"}")
            .json()
            .get("id")
            .asText();
    openai.enqueue(
        FakeOpenAiServer.script()
            .text("Let me check.")
            .toolCall(0, "call_1", "developer__shell", "{\"command\":", "\"echo hi there\"}")
            .usage(120, 30)
            .build());
    openai.enqueue(FakeOpenAiServer.script().text("It said hi ", "there.").usage(200, 12).build());
    try (SseClient sse =
        SseClient.post(
            onPostgres.server.uri(), "/sessions/" + id + "/messages", "{\"content\":\"say hi\"}")) {
      assertThat(sse.untilComplete().getLast().data().get("stop_reason").asText())
          .isEqualTo("end_turn");
    }

    ApiClient.Response exported = onPostgres.client.get("/sessions/" + id + "/export");
    assertThat(exported.status()).isEqualTo(200);
    assertThat(exported.header("content-disposition")).contains("session-" + id + ".json");
    JsonNode doc = exported.json();
    assertThat(doc.get("format").asText()).isEqualTo("goosed-session");
    assertThat(doc.get("version").asInt()).isEqualTo(1);
    assertThat(doc.get("messages")).hasSize(4);
    assertThat(doc.get("events").size()).isGreaterThan(4);

    ApiClient.Response imported = onSqlite.client.post("/sessions/import", doc.toString());
    assertThat(imported.status()).as(imported.body()).isEqualTo(201);
    String copy = imported.json().get("id").asText();
    assertThat(copy).isNotEqualTo(id);
    assertThat(imported.json().get("name").asText()).isEqualTo("travels");
    assertThat(imported.json().get("total_usage"))
        .isEqualTo(onPostgres.client.get("/sessions/" + id).json().get("total_usage"));
    assertThat(imported.json().get("last_usage"))
        .isEqualTo(onPostgres.client.get("/sessions/" + id).json().get("last_usage"));

    JsonNode original = onPostgres.client.get("/sessions/" + id).json().get("messages");
    JsonNode copied = onSqlite.client.get("/sessions/" + copy).json().get("messages");
    assertThat(copied).isEqualTo(original);

    JsonNode again = onSqlite.client.get("/sessions/" + copy + "/export").json();
    assertThat(again.get("messages")).isEqualTo(doc.get("messages"));
    assertThat(withoutTimes(again.get("events"))).isEqualTo(withoutTimes(doc.get("events")));

    // The imported log replays like the original.
    try (SseClient replay =
        SseClient.get(onSqlite.server.uri(), "/sessions/" + copy + "/events?after=0")) {
      assertThat(replay.untilComplete()).hasSize(doc.get("events").size());
    }
  }

  @Test
  void aBadDocumentIsRefusedWith400NamingTheProblem() {
    ObjectNode good = Json.MAPPER.createObjectNode();
    good.put("format", "goosed-session").put("version", 1);
    good.putObject("session").put("name", "x").put("working_dir", root.toString());
    good.putArray("messages");
    good.putArray("events");
    assertThat(onSqlite.client.post("/sessions/import", good.toString()).status()).isEqualTo(201);

    assertThat(importError(good.deepCopy().put("version", 2))).contains("unsupported version 2");
    assertThat(importError(good.deepCopy().put("format", "something-else")))
        .contains("format must be \"goosed-session\"");
    ObjectNode noSession = good.deepCopy();
    noSession.remove("session");
    assertThat(importError(noSession)).contains("'session' is required");
    ObjectNode badEvent = good.deepCopy();
    ((ArrayNode) badEvent.get("events"))
        .addObject()
        .put("seq", 1)
        .put("turn_id", "t")
        .put("name", "no_such_event")
        .putObject("data");
    assertThat(importError(badEvent)).contains("events[0]").contains("no_such_event");
    ObjectNode twice = good.deepCopy();
    ObjectNode message =
        Json.MAPPER
            .createObjectNode()
            .put("id", "m1")
            .put("role", "user")
            .put("created_at", "2026-01-01T00:00:00Z")
            .put("user_visible", true)
            .put("agent_visible", true)
            .put("interrupted", false);
    message.putArray("content").addObject().put("type", "text").put("text", "hi");
    ((ArrayNode) twice.get("messages")).add(message).add(message);
    assertThat(importError(twice)).contains("messages[1].id m1 appears twice");
    // What every other route refuses, import refuses too.
    ObjectNode controlName = good.deepCopy();
    ((ObjectNode) controlName.get("session")).put("name", "a\u0000b");
    assertThat(importError(controlName)).contains("session.name contains control characters");
    ObjectNode emptyId = good.deepCopy();
    ((ArrayNode) emptyId.get("messages")).add(message.deepCopy().put("id", ""));
    assertThat(importError(emptyId)).contains("messages[0].id must be 1-64 characters");
    ObjectNode badImage = good.deepCopy();
    ObjectNode withImage = message.deepCopy();
    withImage
        .putArray("content")
        .addObject()
        .put("type", "image")
        .put("data", "!!!")
        .put("mime_type", "image/png");
    ((ArrayNode) badImage.get("messages")).add(withImage);
    assertThat(importError(badImage)).contains("messages[0].content[0].data is not valid base64");
    ObjectNode negative = good.deepCopy();
    ((ObjectNode) negative.get("session")).put("total_cost_usd", -1.0);
    assertThat(importError(negative)).contains("total_cost_usd");
    ObjectNode elsewhere = good.deepCopy();
    ((ObjectNode) elsewhere.get("session")).put("working_dir", root.resolve("not-here").toString());
    assertThat(importError(elsewhere)).contains("session.working_dir");

    onSqlite.client.post("/sessions/import", "{not json").error(400, "invalid_json");
    // Half a surrogate pair would be stored as '?': refused, naming it.
    ObjectNode halfPair = good.deepCopy();
    ((ObjectNode) halfPair.get("session")).put("name", "HALF");
    assertThat(
            onSqlite
                .client
                .post("/sessions/import", halfPair.toString().replace("HALF", "a\\ud800"))
                .error(400, "invalid_json"))
        .contains("\\ud800")
        .contains("surrogate");
    ObjectNode huge = good.deepCopy();
    ((ObjectNode) huge.get("session")).put("name", "x".repeat(300_000));
    assertThat(
            onSqlite
                .client
                .post("/sessions/import", huge.toString())
                .error(413, "payload_too_large"))
        .contains("GOOSE_MAX_BODY_BYTES");
    assertThat(onSqlite.client.get("/sessions").json().get("sessions")).hasSize(1);
  }

  private String importError(JsonNode doc) {
    return onSqlite.client.post("/sessions/import", doc.toString()).error(400, "invalid_field");
  }

  private static JsonNode withoutTimes(JsonNode events) {
    ArrayNode copy = events.deepCopy();
    copy.forEach(e -> ((ObjectNode) e).remove("created_at"));
    return copy;
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.json.Json;
import goose.session.SessionStore;
import goose.session.SessionStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sessions API against a real server and a real SQLite store. */
class SessionRoutesTest {
  @TempDir static Path root;
  @TempDir static Path workDir;
  static TestServer server;
  static ApiClient api;
  static SessionStore store;

  @BeforeAll
  static void start() {
    server = TestServer.start(root);
    api = server.client;
    store =
        SessionStores.open(
            server.config); // a second pool on the same file, to add messages as a turn would
  }

  @AfterAll
  static void stop() {
    store.close();
    server.close();
  }

  static String create(String name) {
    String body =
        name == null
            ? "{\"cwd\": " + Json.write(workDir.toString()) + "}"
            : "{\"cwd\": "
                + Json.write(workDir.toString())
                + ", \"name\": "
                + Json.write(name)
                + "}";
    ApiClient.Response r = api.post("/sessions", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().path("id").asText();
  }

  @Test
  void createAnswers201WithTheSession() throws IOException {
    ApiClient.Response r =
        api.post(
            "/sessions",
            "{\"cwd\": " + Json.write(workDir.toString()) + ", \"name\": \"  My Session \"}");
    assertThat(r.status()).isEqualTo(201);
    JsonNode s = r.json();
    assertThat(s.path("id").asText()).hasSize(36);
    assertThat(s.path("name").asText()).isEqualTo("My Session");
    assertThat(s.path("working_dir").asText()).isEqualTo(workDir.toRealPath().toString());
    assertThat(s.path("message_count").asLong()).isZero();
    assertThat(s.path("created_at").asText()).endsWith("Z");
    assertThat(s.path("updated_at").asText()).isNotBlank();
    assertThat(s.path("total_usage").path("input_tokens").asLong()).isZero();
    assertThat(s.has("owner")).isFalse();
    assertThat(r.header("Location")).isEqualTo("/sessions/" + s.path("id").asText());
  }

  @Test
  void nameHasADefault() {
    String id = create(null);
    assertThat(api.get("/sessions/" + id).json().path("name").asText()).isEqualTo("New session");
  }

  @Test
  void cwdMustBeAnAbsoluteExistingDirectory() throws IOException {
    Path file = Files.writeString(workDir.resolve("a-file.txt"), "x");
    assertThat(api.post("/sessions", "{\"cwd\": \"relative/dir\"}").error(400, "invalid_field"))
        .isEqualTo("field 'cwd' must be an absolute path");
    assertThat(
            api.post("/sessions", "{\"cwd\": \"/no/such/dir/anywhere\"}")
                .error(400, "invalid_field"))
        .isEqualTo("field 'cwd' is not an existing directory");
    assertThat(
            api.post("/sessions", "{\"cwd\": " + Json.write(file.toString()) + "}")
                .error(400, "invalid_field"))
        .contains("'cwd'");
    assertThat(api.post("/sessions", "{\"cwd\": \"/tmp\\u0000x\"}").error(400, "invalid_field"))
        .contains("'cwd'");
    assertThat(api.post("/sessions", "{\"cwd\": \"\"}").error(400, "invalid_field"))
        .contains("'cwd'");
    assertThat(
            api.post("/sessions", "{\"cwd\": \"/tmp\", \"name\": \"   \"}")
                .error(400, "invalid_field"))
        .contains("'name'");
    assertThat(
            api.post("/sessions", "{\"cwd\": \"/tmp\", \"name\": \"" + "n".repeat(201) + "\"}")
                .error(400, "invalid_field"))
        .contains("'name'");
  }

  @Test
  void getReturnsTheSessionWithItsConversation() {
    String id = create("with messages");
    Message question = Message.user("What is in this directory?");
    Message answer =
        Message.assistant(
            List.of(new Content.Thinking("let me look", "sig"), new Content.Text("Two files.")),
            new TokenUsage(12, 5));
    store.appendMessage(id, question);
    store.appendMessage(id, answer);
    JsonNode s = api.get("/sessions/" + id).json();
    assertThat(s.path("message_count").asLong()).isEqualTo(2);
    JsonNode messages = s.path("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).path("id").asText()).isEqualTo(question.id());
    assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
    assertThat(messages.get(0).path("content").get(0).path("type").asText()).isEqualTo("text");
    assertThat(messages.get(0).path("content").get(0).path("text").asText())
        .isEqualTo("What is in this directory?");
    assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(messages.get(1).path("content").get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(messages.get(1).path("content").get(1).path("text").asText())
        .isEqualTo("Two files.");
    assertThat(messages.get(1).path("usage").path("output_tokens").asLong()).isEqualTo(5);
    assertThat(messages.get(1).path("created_at").asText()).isNotBlank();
  }

  @Test
  void messagesArePagedOldestFirst() {
    String id = create("long conversation");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      Message m = Message.user("message " + i);
      store.appendMessage(id, m);
      ids.add(m.id());
    }
    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      JsonNode page =
          api.get(
                  "/sessions/"
                      + id
                      + "/messages?limit=10"
                      + (after == null ? "" : "&after=" + after))
              .json();
      page.path("messages").forEach(m -> seen.add(m.path("id").asText()));
      after = page.has("next_after") ? page.path("next_after").asText() : null;
      pages++;
    } while (after != null);
    assertThat(seen).isEqualTo(ids);
    assertThat(pages).isEqualTo(3);
    assertThat(api.get("/sessions/" + id + "/messages").json().path("messages")).hasSize(25);
    api.get("/sessions/" + id + "/messages?after=not-an-id").error(400, "invalid_parameter");
    api.get("/sessions/" + id + "/messages?after=0190f0e0-0000-7000-8000-000000000000")
        .error(400, "invalid_parameter");
    api.get("/sessions/" + id + "/messages?limit=1001").error(400, "invalid_parameter");
    api.get("/sessions/0190f0e0-0000-7000-8000-000000000000/messages").error(404, "not_found");
  }

  @Test
  void listIsNewestFirstPagedAndFilteredByName() {
    String tag = "lst" + System.nanoTime();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++)
      created.add(create(tag + " number " + i + (i % 2 == 0 ? " Even" : " odd")));
    List<String> listed = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          api.get("/sessions?limit=3&q=" + tag + (cursor == null ? "" : "&cursor=" + cursor))
              .json();
      assertThat(page.path("sessions").size()).isLessThanOrEqualTo(3);
      page.path("sessions").forEach(s -> listed.add(s.path("id").asText()));
      cursor = page.has("next_cursor") ? page.path("next_cursor").asText() : null;
    } while (cursor != null);
    assertThat(listed).isEqualTo(created.reversed());
    JsonNode even = api.get("/sessions?q=" + tag + "%20number%202%20even").json();
    assertThat(even.path("sessions")).hasSize(1);
    assertThat(even.path("sessions").get(0).path("id").asText()).isEqualTo(created.get(2));
    assertThat(api.get("/sessions?q=no-such-name-" + tag).json().path("sessions")).isEmpty();
  }

  @Test
  void patchRenames() {
    String id = create("old name");
    ApiClient.Response r = api.patch("/sessions/" + id, "{\"name\": \"new name\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("name").asText()).isEqualTo("new name");
    assertThat(api.get("/sessions/" + id).json().path("name").asText()).isEqualTo("new name");
    assertThat(api.patch("/sessions/" + id, "{}").json().path("name").asText())
        .isEqualTo("new name");
    api.patch("/sessions/" + id, "{\"name\": 5}").error(400, "invalid_field");
    api.patch("/sessions/0190f0e0-0000-7000-8000-000000000000", "{\"name\": \"x\"}")
        .error(404, "not_found");
  }

  @Test
  void deleteAnswers204ThenTheSessionIsGone() {
    String id = create("doomed");
    store.appendMessage(id, Message.user("bye"));
    ApiClient.Response r = api.delete("/sessions/" + id);
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    api.get("/sessions/" + id).error(404, "not_found");
    api.get("/sessions/" + id + "/messages").error(404, "not_found");
    api.delete("/sessions/" + id).error(404, "not_found");
  }
}

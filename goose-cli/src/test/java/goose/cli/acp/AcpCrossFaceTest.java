package goose.cli.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import goose.provider.fake.FakeAnthropicServer;
import goose.server.GooseServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One store, two faces: a session made over ACP is the REST API's, a REST session loads over ACP,
 * one turn runs per session whichever face asks, a cancel from REST ends an ACP prompt as
 * cancelled, and every ACP session belongs to the authenticated user with REST's isolation.
 */
// First among the module's classes (the POM orders classes by @Order): it starts no goose JVM, so
// it runs while the class archive for those trains, which they wait for (ChildJvm.TRAINING_WAIT).
@Order(1)
class AcpCrossFaceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path root;
  private AcpTestServer goosed;
  private FakeAnthropicServer anthropic;
  private GooseServer server;
  private Path cwd;

  private void start(Map<String, String> settings) throws Exception {
    goosed = AcpTestServer.start(root, settings);
    anthropic = goosed.anthropic;
    server = goosed.server;
    cwd = goosed.cwd;
  }

  @AfterEach
  void stop() {
    if (goosed != null) goosed.close();
  }

  private URI ws(String query) {
    return goosed.ws(query);
  }

  private HttpResponse<String> rest(
      String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(goosed.http(path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private ObjectNode session(String id) {
    return Json.object().put("sessionId", id);
  }

  private ObjectNode prompt(String id, String text) {
    ObjectNode p = session(id);
    p.putArray("prompt").addObject().put("type", "text").put("text", text);
    return p;
  }

  @Test
  void sessionsAreSharedBetweenAcpAndRest() throws Exception {
    start(Map.of());
    anthropic.enqueue(FakeAnthropicServer.text("Made over ACP."));
    anthropic.enqueue(FakeAnthropicServer.text("Made over REST."));
    try (RawAcpSocket acp = RawAcpSocket.open(ws(""), Map.of())) {
      String id =
          acp.call("session/new", Json.object().put("cwd", cwd.toString()))
              .get("sessionId")
              .asText();
      assertThat(
              acp.call("session/prompt", prompt(id, "hello over acp")).get("stopReason").asText())
          .isEqualTo("end_turn");
      JsonNode detail = Json.parse(rest("GET", "/sessions/" + id, null, Map.of()).body());
      assertThat(detail.get("messages").toString()).contains("hello over acp", "Made over ACP.");

      String restId =
          Json.parse(rest("POST", "/sessions", "{\"cwd\":\"" + cwd + "\"}", Map.of()).body())
              .get("id")
              .asText();
      HttpResponse<String> turn =
          rest(
              "POST",
              "/sessions/" + restId + "/messages",
              "{\"content\":\"hello over rest\"}",
              Map.of());
      assertThat(turn.statusCode()).isEqualTo(200);
      assertThat(turn.body()).contains("message_complete");
      acp.notifications.clear();
      acp.call("session/load", Json.object().put("sessionId", restId).put("cwd", cwd.toString()));
      assertThat(acp.notifications.toString())
          .contains("user_message_chunk", "hello over rest", "Made over REST.");
    }
  }

  @Test
  void anAcpSessionIsTitledAfterItsFirstPromptAndTheClientIsTold() throws Exception {
    start(Map.of("GOOSE_SESSION_TITLES", "true"));
    anthropic.enqueue(FakeAnthropicServer.text("The build uses Gradle."));
    anthropic.enqueue(FakeAnthropicServer.text("Gradle build question"));
    try (RawAcpSocket acp = RawAcpSocket.open(ws(""), Map.of())) {
      String id =
          acp.call("session/new", Json.object().put("cwd", cwd.toString()))
              .get("sessionId")
              .asText();
      acp.call("session/prompt", prompt(id, "How is this project built?"));

      JsonNode update = acp.awaitUpdate("session_info_update", Duration.ofSeconds(30));
      assertThat(update.at("/params/sessionId").asText()).isEqualTo(id);
      assertThat(update.at("/params/update/title").asText()).isEqualTo("Gradle build question");
      JsonNode detail = Json.parse(rest("GET", "/sessions/" + id, null, Map.of()).body());
      assertThat(detail.get("name").asText()).isEqualTo("Gradle build question");
      assertThat(detail.get("name_source").asText()).isEqualTo("generated");
    }
  }

  @Test
  void oneTurnPerSessionAndACancelFromRestEndsTheAcpPrompt() throws Exception {
    start(Map.of());
    anthropic.enqueue(
        FakeAnthropicServer.script().text("Still ", "talking ", "and").build().stallAfter(4));
    try (RawAcpSocket acp = RawAcpSocket.open(ws(""), Map.of())) {
      String id =
          acp.call("session/new", Json.object().put("cwd", cwd.toString()))
              .get("sessionId")
              .asText();
      CompletableFuture<JsonNode> running = acp.request("session/prompt", prompt(id, "talk"));
      acp.awaitUpdate("agent_message_chunk", Duration.ofSeconds(30));

      JsonNode second =
          acp.request("session/prompt", prompt(id, "again")).get(30, TimeUnit.SECONDS);
      assertThat(second.at("/error/data/code").asText()).isEqualTo("conflict");
      HttpResponse<String> rest =
          rest("POST", "/sessions/" + id + "/messages", "{\"content\":\"from rest\"}", Map.of());
      assertThat(rest.statusCode()).isEqualTo(409);

      assertThat(rest("POST", "/sessions/" + id + "/cancel", null, Map.of()).body())
          .contains("true");
      JsonNode answer = running.get(30, TimeUnit.SECONDS);
      assertThat(answer.at("/result/stopReason").asText()).isEqualTo("cancelled");
    }
  }

  @Test
  void everyAcpSessionBelongsToItsUser() throws Exception {
    start(Map.of("GOOSE_AUTH", "proxy", "GOOSE_TRUSTED_PROXIES", "127.0.0.1/32"));
    try (RawAcpSocket alice = RawAcpSocket.open(ws(""), Map.of("X-Remote-User", "alice"));
        RawAcpSocket bob = RawAcpSocket.open(ws(""), Map.of("X-Remote-User", "bob"))) {
      String id =
          alice
              .call("session/new", Json.object().put("cwd", cwd.toString()))
              .get("sessionId")
              .asText();
      JsonNode load =
          bob.request("session/load", Json.object().put("sessionId", id).put("cwd", cwd.toString()))
              .get(30, TimeUnit.SECONDS);
      assertThat(load.at("/error/code").asInt()).isEqualTo(-32002);
      JsonNode prompt =
          bob.request("session/prompt", prompt(id, "mine now")).get(30, TimeUnit.SECONDS);
      assertThat(prompt.at("/error/code").asInt()).isEqualTo(-32002);
      assertThat(bob.call("session/list", Json.object()).get("sessions")).isEmpty();
      assertThat(alice.call("session/list", Json.object()).get("sessions").toString()).contains(id);
      assertThat(rest("GET", "/sessions/" + id, null, Map.of("X-Remote-User", "bob")).statusCode())
          .isEqualTo(404);
      assertThat(
              rest("GET", "/sessions/" + id, null, Map.of("X-Remote-User", "alice")).statusCode())
          .isEqualTo(200);
    }
    // Bob cannot use Alice's Streamable HTTP connection either.
    HttpResponse<String> init =
        rest(
            "POST",
            "/acp",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":1}}",
            Map.of("X-Remote-User", "alice"));
    String connection = init.headers().firstValue("Acp-Connection-Id").orElseThrow();
    HttpResponse<String> stolen =
        rest(
            "POST",
            "/acp",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"session/list\",\"params\":{}}",
            Map.of("X-Remote-User", "bob", "Acp-Connection-Id", connection));
    assertThat(stolen.statusCode()).isEqualTo(404);
    assertThat(
            rest(
                    "DELETE",
                    "/acp",
                    null,
                    Map.of("X-Remote-User", "bob", "Acp-Connection-Id", connection))
                .statusCode())
        .isEqualTo(404);
    assertThat(
            rest(
                    "DELETE",
                    "/acp",
                    null,
                    Map.of("X-Remote-User", "alice", "Acp-Connection-Id", connection))
                .statusCode())
        .isEqualTo(202);
  }

  @Test
  void aBrowserWebSocketAuthenticatesWithTheTokenQuery() throws Exception {
    String secret = "browser-secret-0123456789";
    start(Map.of("GOOSE_AUTH", "secret", "GOOSE_SERVER__SECRET_KEY", secret));
    try (RawAcpSocket acp = RawAcpSocket.open(ws("?token=" + secret), Map.of())) {
      assertThat(acp.call("session/list", Json.object()).has("sessions")).isTrue();
    }
    assertThatThrownBy(() -> RawAcpSocket.open(ws("?token=wrong-secret"), Map.of()))
        .hasStackTraceContaining("401");
    assertThatThrownBy(() -> RawAcpSocket.open(ws(""), Map.of())).hasStackTraceContaining("401");
  }

  @Test
  void anApprovalAskedOverRestIsAnsweredByAnAcpClient() throws Exception {
    start(Map.of("GOOSE_MODE", "approve"));
    anthropic.enqueue(
        FakeAnthropicServer.script()
            .toolUse("toolu_rest", "developer__shell", "{\"command\":\"echo from-rest\"}")
            .build());
    anthropic.enqueue(FakeAnthropicServer.text("Done."));
    String id =
        Json.parse(rest("POST", "/sessions", "{\"cwd\":\"" + cwd + "\"}", Map.of()).body())
            .get("id")
            .asText();
    HttpResponse<String> accepted =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + server.port() + "/sessions/" + id + "/messages"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"content\":\"run it\",\"on_disconnect\":\"continue\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).isEqualTo(202);
    awaitPendingApproval(id);
    // A client that takes the session up is asked (and answers allow_once): the REST turn goes on.
    try (RawAcpSocket acp = RawAcpSocket.open(ws(""), Map.of())) {
      acp.call("session/resume", Json.object().put("sessionId", id).put("cwd", cwd.toString()));
      String conversation =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(50))
              .until(
                  () -> rest("GET", "/sessions/" + id, null, Map.of()).body(),
                  c -> c.contains("Done."));
      assertThat(conversation).contains("from-rest", "Done.");
    }
  }

  @Test
  void aWebSocketFromAForeignPageIsRefused() throws Exception {
    start(Map.of());
    assertThatThrownBy(() -> RawAcpSocket.open(ws(""), Map.of("Origin", "http://evil.example")))
        .hasStackTraceContaining("403");
    String own = "http://127.0.0.1:" + server.port();
    try (RawAcpSocket acp = RawAcpSocket.open(ws(""), Map.of("Origin", own))) {
      assertThat(acp.call("session/list", Json.object()).has("sessions")).isTrue();
    }
  }

  private void awaitPendingApproval(String sessionId) {
    await("a pending approval in " + sessionId)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> rest("GET", "/sessions/" + sessionId + "/tool-approvals", null, Map.of()).body(),
            body -> body.contains("toolu_rest"));
  }

  @Test
  void aSessionChoosesItsOwnModelAndProvider() throws Exception {
    start(Map.of("OPENAI_API_KEY", "sk-test"));
    anthropic.enqueue(FakeAnthropicServer.text("From haiku."));
    try (RawAcpSocket acp = RawAcpSocket.open(ws(""), Map.of())) {
      String id =
          acp.call("session/new", Json.object().put("cwd", cwd.toString()))
              .get("sessionId")
              .asText();
      ObjectNode set = session(id).put("configId", "model").put("value", "claude-haiku-4-5");
      JsonNode options = acp.call("session/set_config_option", set).get("configOptions");
      assertThat(options.toString()).contains("\"currentValue\":\"claude-haiku-4-5\"");
      acp.call("session/prompt", prompt(id, "which model?"));
      assertThat(anthropic.lastRequest().json().path("model").asText())
          .isEqualTo("claude-haiku-4-5");

      JsonNode refused =
          acp.request(
                  "session/set_config_option",
                  session(id).put("configId", "provider").put("value", "google"))
              .get(30, TimeUnit.SECONDS);
      assertThat(refused.at("/error/code").asInt()).isEqualTo(-32602);
      assertThat(refused.at("/error/data").asText()).contains("GOOGLE_API_KEY");
      JsonNode other =
          acp.call(
              "session/set_config_option",
              session(id).put("configId", "provider").put("value", "openai"));
      assertThat(other.toString())
          .contains("\"currentValue\":\"openai\"", "\"currentValue\":\"gpt-4o\"");
      // Another session still follows the server's settings.
      JsonNode fresh = acp.call("session/new", Json.object().put("cwd", cwd.toString()));
      assertThat(fresh.get("configOptions").toString())
          .contains("\"currentValue\":\"anthropic\"", "\"currentValue\":\"claude-sonnet-4-5\"");
    }
  }

  @Test
  void cancelRequestOfThePromptEndsItAsCancelled() throws Exception {
    start(Map.of());
    anthropic.enqueue(
        FakeAnthropicServer.script().text("Going ", "on ", "and").build().stallAfter(4));
    anthropic.enqueue(FakeAnthropicServer.text("Next turn works."));
    try (RawAcpSocket acp = RawAcpSocket.open(ws(""), Map.of())) {
      String id =
          acp.call("session/new", Json.object().put("cwd", cwd.toString()))
              .get("sessionId")
              .asText();
      CompletableFuture<JsonNode> running =
          acp.request("prompt-1", "session/prompt", prompt(id, "talk"));
      acp.awaitUpdate("agent_message_chunk", Duration.ofSeconds(30));
      acp.notify("$/cancel_request", Json.object().put("requestId", "prompt-1"));
      JsonNode answer = running.get(30, TimeUnit.SECONDS);
      assertThat(answer.has("error")).as(answer.toString()).isFalse();
      assertThat(answer.at("/result/stopReason").asText()).isEqualTo("cancelled");
      // The session goes on: the next prompt runs.
      assertThat(acp.call("session/prompt", prompt(id, "again")).get("stopReason").asText())
          .isEqualTo("end_turn");
    }
  }
}

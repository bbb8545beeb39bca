package goose.cli.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.http.AcpConnections;
import goose.json.Json;
import goose.provider.fake.FakeAnthropicServer;
import goose.server.acp.AcpRoutes;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sloppy or hostile ACP client against a real goosed's {@code /acp}: malformed messages get
 * JSON-RPC errors and leave nothing behind (no half-made connection, no stalled request), large and
 * odd WebSocket frames do not close the socket, and the session methods do what the ACP schema says
 * even when a prompt runs ({@code session/close} cancels it) or the client cannot ask its user (an
 * error answer to a permission request denies the call at once).
 */
// First among the module's classes (the POM orders classes by @Order): it starts no goose JVM, so
// it runs while the class archive for those trains, which they wait for (ChildJvm.TRAINING_WAIT).
@Order(1)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AcpHostileInputTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path root;
  private AcpTestServer goosed;

  @AfterEach
  void stop() {
    if (goosed != null) goosed.close();
  }

  private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(goosed.http("/acp"))
            .timeout(Duration.ofSeconds(30)) // an answer that never comes fails here
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String initialize(String id, String params) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\"initialize\",\"params\":"
        + params
        + "}";
  }

  @Test
  void aFailedInitializeIsA400WithTheJsonRpcErrorAndKeepsNoConnection() throws Exception {
    goosed = AcpTestServer.start(root, Map.of());
    for (String id : List.of("1.5", "true", "{\"a\":1}")) {
      HttpResponse<String> r = post(initialize(id, "{\"protocolVersion\":1}"), Map.of());
      assertThat(r.statusCode()).as(id + ": " + r.body()).isEqualTo(400);
      assertThat(Json.parse(r.body()).at("/error/code").asInt()).isEqualTo(-32600);
      assertThat(Json.parse(r.body()).at("/error/message").asText()).contains("id must be");
      assertThat(r.headers().firstValue(AcpRoutes.CONNECTION_HEADER)).isEmpty();
    }
    HttpResponse<String> noVersion = post(initialize("1", "{}"), Map.of());
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(Json.parse(noVersion.body()).at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(noVersion.headers().firstValue(AcpRoutes.CONNECTION_HEADER)).isEmpty();

    // More failed attempts than a user may hold connections: none was kept.
    for (int i = 0; i <= AcpConnections.MAX_PER_USER; i++)
      assertThat(post(initialize("1.5", "{\"protocolVersion\":1}"), Map.of()).statusCode())
          .isEqualTo(400);
    HttpResponse<String> ok = post(initialize("1", "{\"protocolVersion\":1}"), Map.of());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.headers().firstValue(AcpRoutes.CONNECTION_HEADER)).isPresent();

    HttpResponse<String> batch =
        post("[{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"session/list\"}]", Map.of());
    assertThat(batch.statusCode()).isEqualTo(400);
    assertThat(Json.parse(batch.body()).at("/error/code").asInt())
        .as(batch.body())
        .isEqualTo(-32600);

    HttpResponse<String> noConnection =
        post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"session/list\"}", Map.of());
    assertThat(noConnection.statusCode()).isEqualTo(400);
    assertThat(noConnection.body()).contains("header 'Acp-Connection-Id' is required");
  }

  @Test
  void aWebSocketTakesLargeMessagesAndAnswersOddFramesWithoutClosing() throws Exception {
    goosed = AcpTestServer.start(root, Map.of());
    try (RawAcpSocket acp = RawAcpSocket.open(goosed.ws(""), Map.of())) {
      // 200 KB, like a prompt with a screenshot: more than Jetty's default of 64 KiB.
      ObjectNode padded = Json.object();
      padded.putObject("_meta").put("pad", "x".repeat(200_000));
      assertThat(acp.call("session/list", padded).has("sessions")).isTrue();

      acp.sendBinary("{\"jsonrpc\":\"2.0\",\"id\":9}".getBytes(StandardCharsets.UTF_8));
      JsonNode binary = acp.awaitUnmatched(Duration.ofSeconds(30));
      assertThat(binary.at("/error/code").asInt()).as(binary.toString()).isEqualTo(-32700);
      assertThat(binary.at("/error/message").asText()).contains("text frame");

      acp.sendText(
          "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"session/list\",\"params\":{}}"
              + "{\"jsonrpc\":\"2.0\",\"id\":\"b\",\"method\":\"session/list\",\"params\":{}}");
      JsonNode twoInOne = acp.awaitUnmatched(Duration.ofSeconds(30));
      assertThat(twoInOne.at("/error/code").asInt()).as(twoInOne.toString()).isEqualTo(-32700);

      acp.sendText(
          "{\"jsonrpc\":\"2.0\",\"id\":\"c\",\"method\":\"session/list\","
              + "\"params\":{\"_meta\":{\"x\":\"\\udc00\"}}}");
      JsonNode halfPair = acp.awaitUnmatched(Duration.ofSeconds(30));
      assertThat(halfPair.at("/error/code").asInt()).as(halfPair.toString()).isEqualTo(-32700);
      assertThat(halfPair.at("/error/message").asText()).contains("\\udc00").contains("surrogate");

      // session/cancel is a notification; sent with an id it still cancels, and is answered.
      JsonNode cancelAsked =
          acp.request("session/cancel", Json.object().put("sessionId", "none"))
              .get(30, TimeUnit.SECONDS);
      assertThat(cancelAsked.has("result")).as(cancelAsked.toString()).isTrue();

      assertThat(acp.call("session/list", Json.object()).has("sessions"))
          .as("the socket is still open and answers")
          .isTrue();
    }
  }

  @Test
  void aUsersWebSocketBeyondTheLimitIsRefusedWith429BeforeTheUpgrade() throws Exception {
    goosed = AcpTestServer.start(root, Map.of());
    HttpClient client = HttpClient.newHttpClient();
    List<WebSocket> open = new ArrayList<>();
    try {
      // Each socket answers an initialize before the next opens: the server has taken it up (a
      // socket counts from then, just after its 101; one that races past the check meanwhile is
      // closed at once with 1013, which this test does not cover).
      for (int i = 0; i < AcpConnections.MAX_PER_USER; i++) {
        CompletableFuture<CharSequence> answered = new CompletableFuture<>();
        WebSocket socket =
            client
                .newWebSocketBuilder()
                .buildAsync(
                    goosed.ws(""),
                    new WebSocket.Listener() {
                      @Override
                      public java.util.concurrent.CompletionStage<?> onText(
                          WebSocket ws, CharSequence data, boolean last) {
                        answered.complete(data);
                        return null;
                      }
                    })
                .get(30, TimeUnit.SECONDS);
        open.add(socket);
        socket.sendText(initialize("1", "{\"protocolVersion\":1}"), true);
        assertThat(answered.get(30, TimeUnit.SECONDS).toString()).contains("protocolVersion");
      }
      assertThatThrownBy(
              () ->
                  client
                      .newWebSocketBuilder()
                      .buildAsync(goosed.ws(""), new WebSocket.Listener() {})
                      .join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(WebSocketHandshakeException.class)
          .satisfies(
              e ->
                  assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                      .isEqualTo(429));
    } finally {
      open.forEach(ws -> ws.abort());
    }
  }

  @Test
  void sessionCloseCancelsTheRunningPromptWhichAnswersCancelled() throws Exception {
    goosed = AcpTestServer.start(root, Map.of());
    goosed.anthropic.enqueue(
        FakeAnthropicServer.script().text("Still ", "talking ", "and").build().stallAfter(4));
    try (RawAcpSocket acp = RawAcpSocket.open(goosed.ws(""), Map.of())) {
      String id = newSession(acp);
      CompletableFuture<JsonNode> running = acp.request("session/prompt", prompt(id, "go"));
      acp.awaitUpdate("agent_message_chunk", Duration.ofSeconds(30));

      assertThat(acp.call("session/close", Json.object().put("sessionId", id))).isEmpty();
      JsonNode answer = running.get(30, TimeUnit.SECONDS);
      assertThat(answer.at("/result/stopReason").asText())
          .as(answer.toString())
          .isEqualTo("cancelled");

      // No turn is left running: the session takes the next prompt.
      goosed.anthropic.enqueue(FakeAnthropicServer.text("again"));
      acp.call(
          "session/resume", Json.object().put("sessionId", id).put("cwd", goosed.cwd.toString()));
      assertThat(acp.call("session/prompt", prompt(id, "again")).get("stopReason").asText())
          .isEqualTo("end_turn");
    }
  }

  @Test
  void aPermissionRequestAnsweredWithAnErrorDeniesTheCallAtOnce() throws Exception {
    // The approval would otherwise wait its whole timeout (600 s), far beyond this test's.
    goosed =
        AcpTestServer.start(root, Map.of("GOOSE_MODE", "approve", "GOOSE_APPROVAL_TIMEOUT", "600"));
    goosed.anthropic.enqueue(
        FakeAnthropicServer.script()
            .toolUse("toolu_refused", "developer__shell", "{\"command\":\"echo never-run\"}")
            .build());
    goosed.anthropic.enqueue(FakeAnthropicServer.text("Denied, then."));
    try (RawAcpSocket acp = RawAcpSocket.open(goosed.ws(""), Map.of())) {
      acp.refusePermissions = true;
      String id = newSession(acp);
      JsonNode answer =
          acp.request("session/prompt", prompt(id, "run it")).get(60, TimeUnit.SECONDS);
      assertThat(answer.at("/result/stopReason").asText())
          .as(answer.toString())
          .isEqualTo("end_turn");
      String conversation =
          HTTP.send(
                  HttpRequest.newBuilder(goosed.http("/sessions/" + id)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(conversation).contains("The tool call was denied by the user.", "Denied, then.");
    }
  }

  private String newSession(RawAcpSocket acp) throws Exception {
    return acp.call("session/new", Json.object().put("cwd", goosed.cwd.toString()))
        .get("sessionId")
        .asText();
  }

  private static ObjectNode prompt(String id, String text) {
    ObjectNode p = Json.object().put("sessionId", id);
    p.putArray("prompt").addObject().put("type", "text").put("text", text);
    return p;
  }
}

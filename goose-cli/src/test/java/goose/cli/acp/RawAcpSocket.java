package goose.cli.acp;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A bare ACP client over WebSocket, with the JDK's client: requests by hand, every notification
 * kept, permission requests answered allow_once. For tests about the server rather than the SDK.
 */
final class RawAcpSocket implements AutoCloseable {
  private final WebSocket socket;
  private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  final List<JsonNode> notifications = new CopyOnWriteArrayList<>();

  /** Answers that match no request of ours (a parse error carries "id": null). */
  final List<JsonNode> unmatched = new CopyOnWriteArrayList<>();

  /** Whether permission requests are answered with an error (a client that cannot ask). */
  volatile boolean refusePermissions;

  private final AtomicInteger ids = new AtomicInteger();
  private final StringBuilder partial = new StringBuilder();

  private RawAcpSocket(URI uri, Map<String, String> headers) throws Exception {
    WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
    headers.forEach(b::header);
    socket = b.buildAsync(uri, new Listener()).get(30, TimeUnit.SECONDS);
  }

  static RawAcpSocket open(URI uri, Map<String, String> headers) throws Exception {
    RawAcpSocket s = new RawAcpSocket(uri, headers);
    s.call("initialize", Json.object().put("protocolVersion", 1));
    return s;
  }

  /** Sends a request; the future completes with the whole response (result or error). */
  CompletableFuture<JsonNode> request(String method, ObjectNode params) {
    return request("t" + ids.incrementAndGet(), method, params);
  }

  /** A request with the id given (for a later {@code $/cancel_request}). */
  CompletableFuture<JsonNode> request(String id, String method, ObjectNode params) {
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode m = Json.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
    m.set("params", params);
    send(m);
    return answer;
  }

  /** A request's result; an error response fails with its JSON. */
  JsonNode call(String method, ObjectNode params) throws Exception {
    JsonNode r = request(method, params).get(60, TimeUnit.SECONDS);
    if (r.has("error")) throw new AssertionError(method + " failed: " + r.get("error"));
    return r.get("result");
  }

  void notify(String method, ObjectNode params) {
    ObjectNode m = Json.object().put("jsonrpc", "2.0").put("method", method);
    m.set("params", params);
    send(m);
  }

  /** Waits until a session/update of this kind has arrived. */
  JsonNode awaitUpdate(String kind, Duration timeout) {
    try {
      return await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  notifications.stream()
                      .filter(n -> n.at("/params/update/sessionUpdate").asText().equals(kind))
                      .findFirst(),
              Optional::isPresent)
          .orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no " + kind + " update within " + timeout + "; got " + notifications, e);
    }
  }

  private void send(JsonNode m) {
    sendText(Json.write(m));
  }

  /** One text frame, as given (not necessarily one JSON-RPC message). */
  synchronized void sendText(String text) {
    socket.sendText(text, true).join();
  }

  synchronized void sendBinary(byte[] data) {
    socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).join();
  }

  /** Waits for an answer that matched no request (e.g. a parse error). */
  JsonNode awaitUnmatched(Duration timeout) {
    return await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> unmatched.isEmpty() ? null : unmatched.removeFirst(), m -> m != null);
  }

  @Override
  public void close() {
    socket
        .sendClose(WebSocket.NORMAL_CLOSURE, "bye")
        .orTimeout(5, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonNode m = Json.parse(partial.toString());
        partial.setLength(0);
        if (m.has("method") && m.has("id")) {
          ObjectNode answer = Json.object().put("jsonrpc", "2.0");
          answer.set("id", m.get("id"));
          if (refusePermissions)
            answer.putObject("error").put("code", -32601).put("message", "Method not found");
          else
            answer
                .putObject("result")
                .putObject("outcome")
                .put("outcome", "selected")
                .put("optionId", "allow_once");
          Thread.ofVirtual().start(() -> send(answer));
        } else if (m.has("method")) {
          notifications.add(m);
        } else {
          CompletableFuture<JsonNode> f = pending.remove(m.path("id").asText());
          if (f != null) f.complete(m);
          else unmatched.add(m);
        }
      }
      ws.request(1);
      return null;
    }
  }
}

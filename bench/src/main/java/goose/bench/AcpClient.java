package goose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The small ACP (Agent Client Protocol, JSON-RPC) client the harness needs to drive {@code goose
 * serve} over HTTP: {@code initialize} answers inline and names the connection; later requests are
 * answered 202 and their results arrive on the connection's event stream ({@code GET /acp}), or on
 * a session's stream for {@code session/prompt}.
 */
final class AcpClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final int port;
  private final String secret;
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private @Nullable String connection; // named by the server on initialize

  /** When the last {@code tool_call} update and the last finished {@code tool_call_update} came. */
  private volatile long toolCallNanos;

  private volatile long toolDoneNanos;

  AcpClient(int port, String secret) {
    this.port = port;
    this.secret = secret;
  }

  void initialize() throws IOException, InterruptedException {
    HttpResponse<String> r =
        post("initialize", "{\"protocolVersion\":1,\"clientCapabilities\":{}}", Map.of());
    connection =
        r.headers()
            .firstValue("acp-connection-id")
            .orElseThrow(() -> new IOException("initialize: no acp-connection-id: " + r.body()));
    listen(Map.of("acp-connection-id", connection));
  }

  String newSession(String cwd) throws Exception {
    return newSession(cwd, "[]");
  }

  /** A session with the MCP servers of {@code mcpServersJson} (ACP's {@code mcpServers} array). */
  String newSession(String cwd, String mcpServersJson) throws Exception {
    JsonNode result =
        call(
            "session/new",
            "{\"cwd\":" + WireFormat.quote(cwd) + ",\"mcpServers\":" + mcpServersJson + "}",
            Map.of());
    String session = result.path("sessionId").asText();
    if (session.isEmpty()) throw new IOException("session/new: no sessionId: " + result);
    listen(Map.of("acp-connection-id", connection, "acp-session-id", session));
    return session;
  }

  /** Sends a prompt and waits for its result; answers the stop reason. */
  String prompt(String session, String text) throws Exception {
    JsonNode result =
        call(
            "session/prompt",
            "{\"sessionId\":"
                + WireFormat.quote(session)
                + ",\"prompt\":[{\"type\":\"text\",\"text\":"
                + WireFormat.quote(text)
                + "}]}",
            Map.of("acp-session-id", session));
    return result.path("stopReason").asText();
  }

  private JsonNode call(String method, String params, Map<String, String> headers)
      throws Exception {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    HttpResponse<String> r = post(method, params, headers, id);
    if (r.statusCode() == 200 && !r.body().isBlank()) dispatch(r.body());
    else if (r.statusCode() != 202)
      throw new IOException(method + ": HTTP " + r.statusCode() + " " + r.body());
    JsonNode msg = answer.get(120, TimeUnit.SECONDS);
    if (msg.has("error")) throw new IOException(method + ": " + msg.get("error"));
    return msg.path("result");
  }

  private HttpResponse<String> post(String method, String params, Map<String, String> headers)
      throws IOException, InterruptedException {
    return post(method, params, headers, ids.incrementAndGet());
  }

  private HttpResponse<String> post(
      String method, String params, Map<String, String> headers, long id)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/acp"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("X-Secret-Key", secret)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":"
                        + id
                        + ",\"method\":\""
                        + method
                        + "\",\"params\":"
                        + params
                        + "}"));
    if (connection != null) b.header("acp-connection-id", connection);
    headers.forEach(b::header);
    return Net.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Reads one of the server's event streams until the server goes away. */
  private void listen(Map<String, String> headers) throws InterruptedException {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("X-Secret-Key", secret);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                SseCall.run(
                    port,
                    "GET",
                    "/acp",
                    all,
                    null,
                    0,
                    e -> {
                      dispatch(e.data());
                      return true;
                    });
              } catch (IOException e) {
                // the peer stopped
              }
            });
    Thread.sleep(100); // the stream must be registered before the answer it carries is sent
  }

  /**
   * Time from the agent announcing its last tool call ({@code session/update} {@code tool_call}) to
   * the update that finished it ({@code tool_call_update}, status completed or failed), in
   * nanoseconds; 0 when the last prompt made no finished call. The same span as goosed's {@code
   * tool_call} to {@code tool_result} events.
   */
  long lastToolCallNanos() {
    long call = toolCallNanos;
    long done = toolDoneNanos;
    return call > 0 && done > call ? done - call : 0;
  }

  /** Forgets the last tool call's times (before a prompt). */
  void resetToolTimes() {
    toolCallNanos = 0;
    toolDoneNanos = 0;
  }

  private void dispatch(String data) {
    long now = System.nanoTime();
    try {
      JsonNode msg = JSON.readTree(data);
      JsonNode update = msg.path("params").path("update");
      switch (update.path("sessionUpdate").asText()) {
        case "tool_call" -> toolCallNanos = now;
        case "tool_call_update" -> {
          String status = update.path("status").asText();
          if (status.equals("completed") || status.equals("failed")) toolDoneNanos = now;
        }
        default -> {}
      }
      if (msg.has("id") && (msg.has("result") || msg.has("error"))) {
        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asLong());
        if (f != null) f.complete(msg);
      }
    } catch (IOException ignored) {
      // not JSON: a comment or keep-alive
    }
  }
}

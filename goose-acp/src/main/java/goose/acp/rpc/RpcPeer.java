package goose.acp.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import goose.acp.wire.AcpJson;
import goose.error.ErrorMessages;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a JSON-RPC 2.0 connection, whatever carries it (stdio lines, HTTP, WebSocket). The
 * transport hands it every message it receives ({@link #receive}) and gives it a {@link Sink} for
 * what it sends. Requests are answered each on its own virtual thread, so a long {@code
 * session/prompt} never holds up a {@code session/cancel}; notifications are handled in order on
 * the receiving thread. Requests of our own ({@code session/request_permission}) are matched to
 * their responses here. Written by hand on purpose: the Java ACP SDK brings Project Reactor, and
 * the part of JSON-RPC ACP needs is this one small class.
 */
public final class RpcPeer {
  private static final Logger log = LoggerFactory.getLogger(RpcPeer.class);
  public static final String CANCEL_REQUEST = "$/cancel_request";

  /** Where this peer's messages go; must be safe to call from several threads. */
  @FunctionalInterface
  public interface Sink {
    void send(JsonNode message);
  }

  private final Sink sink;
  private final RpcHandler handler;
  private final Map<String, RpcCall> inFlight = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private volatile boolean closed;

  public RpcPeer(Sink sink, RpcHandler handler) {
    this.sink = sink;
    this.handler = handler;
  }

  /** Handles one message the transport received (already parsed). */
  public void receive(JsonNode message) {
    if (closed) return;
    if (message.isArray()) {
      send(
          error(
              NullNode.instance,
              RpcException.INVALID_REQUEST,
              "JSON-RPC batches are not supported"));
      return;
    }
    JsonNode version = message.path("jsonrpc"); // the string "2.0", not the number 2.0
    if (!message.isObject() || !version.isTextual() || !version.asText().equals("2.0")) {
      send(error(idOf(message), RpcException.INVALID_REQUEST, "not a JSON-RPC 2.0 message"));
      return;
    }
    JsonNode method = message.get("method");
    if (method != null) {
      if (!method.isTextual()) {
        send(error(idOf(message), RpcException.INVALID_REQUEST, "method must be a string"));
        return;
      }
      JsonNode params = message.has("params") ? message.get("params") : AcpJson.object();
      if (message.has("id")) startRequest(message.get("id"), method.asText(), params);
      else notification(method.asText(), params);
      return;
    }
    if (message.has("id") && (message.has("result") || message.has("error"))) {
      response(message);
      return;
    }
    send(
        error(
            idOf(message),
            RpcException.INVALID_REQUEST,
            "neither a request, a notification nor a response"));
  }

  /** A message the transport could not parse. */
  public void unparsable(String why) {
    send(error(NullNode.instance, RpcException.PARSE_ERROR, "Parse error: " + why));
  }

  /** Sends a notification to the other side. */
  public void notify(String method, JsonNode params) {
    ObjectNode m = AcpJson.object().put("jsonrpc", "2.0").put("method", method);
    m.set("params", params);
    send(m);
  }

  /**
   * Sends a request to the other side; the future completes with its result, or exceptionally with
   * an {@link RpcException} (its error answer, or the connection closing).
   */
  public CompletableFuture<JsonNode> request(String method, JsonNode params) {
    String id = "goosed-" + nextId.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    if (closed) {
      pending.remove(id);
      answer.completeExceptionally(RpcException.internal("the connection is closed"));
      return answer;
    }
    ObjectNode m = AcpJson.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
    m.set("params", params);
    send(m);
    return answer;
  }

  /** Drops a request of ours whose answer nobody waits for any more. */
  public void forget(CompletableFuture<JsonNode> request) {
    pending.values().removeIf(waiting -> waiting == request); // this very future
  }

  /**
   * Waits up to {@code timeout} for the requests being answered to finish (their answers still go
   * out): the input ended, but what was asked before may be answered.
   */
  public void drain(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!inFlight.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
  }

  /** The transport is gone: pending requests of ours fail, running handlers are cancelled. */
  public void close() {
    if (closed) return;
    closed = true;
    pending
        .values()
        .forEach(f -> f.completeExceptionally(RpcException.internal("the connection closed")));
    pending.clear();
    inFlight.values().forEach(RpcCall::cancel);
    handler.closed();
  }

  public boolean isClosed() {
    return closed;
  }

  private void startRequest(JsonNode id, String method, JsonNode params) {
    if (!(id.isTextual() || id.isIntegralNumber() || id.isNull())) {
      send(
          error(
              NullNode.instance,
              RpcException.INVALID_REQUEST,
              "id must be a string or an integer"));
      return;
    }
    RpcCall call = new RpcCall(id);
    String key = key(id);
    if (inFlight.putIfAbsent(key, call) != null) {
      send(
          error(
              id, RpcException.INVALID_REQUEST, "a request with this id is still being answered"));
      return;
    }
    Thread.ofVirtual()
        .name("acp-" + method)
        .start(
            () -> {
              try {
                JsonNode result = handler.request(method, params, call);
                ObjectNode m = AcpJson.object().put("jsonrpc", "2.0");
                m.set("id", id);
                m.set("result", result);
                send(m);
              } catch (RpcException e) {
                send(error(id, e.code(), ErrorMessages.of(e), e.data()));
              } catch (RuntimeException e) {
                log.error("ACP {} failed", method, e);
                send(
                    error(
                        id,
                        RpcException.INTERNAL_ERROR,
                        "Internal error",
                        Optional.of(TextNode.valueOf(String.valueOf(e.getMessage())))));
              } finally {
                inFlight.remove(key, call);
              }
            });
  }

  private void notification(String method, JsonNode params) {
    if (method.equals(CANCEL_REQUEST)) {
      RpcCall call = inFlight.get(key(params.path("requestId")));
      if (call != null) call.cancel();
      return;
    }
    try {
      handler.notification(method, params);
    } catch (RuntimeException e) {
      log.warn("ACP notification {} failed: {}", method, e.getMessage());
    }
  }

  private void response(JsonNode message) {
    CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asText());
    if (answer == null) return; // an answer to nothing we asked (or asked and forgot): ignored
    JsonNode error = message.get("error");
    if (error != null && !error.isNull()) {
      answer.completeExceptionally(
          new RpcException(
              error.path("code").asInt(RpcException.INTERNAL_ERROR),
              error.path("message").asText("error"),
              Optional.ofNullable(error.get("data"))));
    } else {
      answer.complete(message.get("result"));
    }
  }

  private void send(JsonNode message) {
    if (closed) return;
    sink.send(message);
  }

  private static JsonNode idOf(JsonNode message) {
    JsonNode id = message.isObject() ? message.get("id") : null;
    return id == null ? NullNode.instance : id;
  }

  private static String key(JsonNode id) {
    return id.isTextual() ? "s:" + id.asText() : "n:" + id.toString();
  }

  private static ObjectNode error(JsonNode id, int code, String message) {
    return error(id, code, message, Optional.empty());
  }

  private static ObjectNode error(JsonNode id, int code, String message, Optional<JsonNode> data) {
    ObjectNode m = AcpJson.object().put("jsonrpc", "2.0");
    m.set("id", id);
    ObjectNode e = m.putObject("error").put("code", code).put("message", message);
    data.ifPresent(d -> e.set("data", d));
    return m;
  }
}

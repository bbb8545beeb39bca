package goose.acp.http;

import com.fasterxml.jackson.databind.JsonNode;
import goose.acp.agent.AcpAgent;
import goose.acp.agent.AcpServices;
import goose.acp.rpc.RpcPeer;
import goose.acp.wire.AcpJson;
import goose.ids.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One ACP connection over Streamable HTTP: client messages come in by POST, agent messages go out
 * on long-lived GET streams, one for the connection and one per session. Routing follows the RFD
 * (as the ACP SDK's server does): a message naming a session goes on that session's stream; the
 * answer to a request goes where the request came from (a session's stream, or the connection's;
 * {@code session/load}'s answer on the connection's, after the session's replay); everything else
 * on the connection's.
 */
public final class AcpConnection {
  /** Methods that must carry {@code Acp-Session-Id}. */
  static final Set<String> SESSION_METHODS =
      Set.of(
          "session/cancel",
          "session/close",
          "session/delete",
          "session/fork",
          "session/load",
          "session/prompt",
          "session/resume",
          "session/set_config_option",
          "session/set_mode",
          "session/set_model");

  private final String id = Ids.newId();
  private final String user;
  private final RpcPeer peer;
  private final long maxBufferedBytes;
  private final AtomicLong buffered = new AtomicLong();
  private final Mailbox connectionStream = new Mailbox(this::counted);
  private final Map<String, Mailbox> sessionStreams = new ConcurrentHashMap<>();
  private final Map<String, String> requestRoutes = new ConcurrentHashMap<>();
  private final Map<String, String> ourRequestRoutes = new ConcurrentHashMap<>();

  /** Open {@code session/load} requests: their session, whose replay their answer must follow. */
  private final Map<String, String> loads = new ConcurrentHashMap<>();

  private final Runnable onOverflow;
  private volatile @Nullable CompletableFuture<JsonNode> initializing;
  private volatile Instant lastActive = Instant.now();
  private volatile boolean closed;

  private static final String CONNECTION = "";
  private static final Duration REPLAY_WRITE_WAIT = Duration.ofSeconds(2);

  /** An answer to initialize is computed at once; this only bounds a bug. */
  private static final Duration INITIALIZE_WAIT = Duration.ofSeconds(30);

  AcpConnection(
      AcpServices services,
      String user,
      boolean admin,
      long maxBufferedBytes,
      Runnable onOverflow) {
    this.user = user;
    this.maxBufferedBytes = maxBufferedBytes;
    this.onOverflow = onOverflow;
    this.peer = AcpAgent.connect(services, user, admin, this::route);
  }

  public String id() {
    return id;
  }

  String user() {
    return user;
  }

  /**
   * Runs {@code initialize} and returns its answer, which the POST carries (not a stream): a
   * result, or an error (a malformed id or params), which is then the only thing this connection
   * answered.
   */
  JsonNode initialize(JsonNode message) throws InterruptedException {
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    initializing = answer;
    peer.receive(message);
    try {
      return answer.get(INITIALIZE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the connection closed during initialize", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("initialize got no answer within " + INITIALIZE_WAIT, e);
    } finally {
      initializing = null;
    }
  }

  /** A client message (anything but initialize): routed, handed to the agent, 202. */
  public HttpAnswer post(JsonNode message, Optional<String> sessionHeader) {
    touch();
    if (message.isArray()) return HttpAnswer.badRequest("JSON-RPC batches are not supported");
    if (!message.isObject()) return HttpAnswer.badRequest("Invalid JSON-RPC message");
    if (message.has("method")) {
      String method = message.path("method").asText();
      Optional<String> inParams = sessionOf(message);
      if ((SESSION_METHODS.contains(method) || inParams.isPresent()) && sessionHeader.isEmpty())
        return HttpAnswer.badRequest("Missing Acp-Session-Id");
      if (sessionHeader.isPresent() && inParams.isPresent() && !sessionHeader.equals(inParams))
        return HttpAnswer.badRequest("Mismatched Acp-Session-Id");
      Optional<String> session = sessionHeader.or(() -> inParams);
      if (message.has("id")) {
        String route = method.equals("session/load") ? CONNECTION : session.orElse(CONNECTION);
        requestRoutes.put(key(message.get("id")), route);
        if (method.equals("session/load") && session.isPresent())
          loads.put(key(message.get("id")), session.get());
      }
    } else if (message.has("id")) {
      String route = ourRequestRoutes.remove(key(message.get("id")));
      if (route != null && !route.equals(CONNECTION)) {
        if (sessionHeader.isEmpty()) return HttpAnswer.badRequest("Missing Acp-Session-Id");
        if (!sessionHeader.get().equals(route))
          return HttpAnswer.badRequest("Mismatched Acp-Session-Id");
      }
    }
    peer.receive(message);
    return HttpAnswer.ACCEPTED;
  }

  /** The connection's stream, or a session's; empty when it already has a receiver (409). */
  public Optional<Mailbox.Lease> stream(Optional<String> sessionId) {
    touch();
    if (closed) return Optional.empty();
    return sessionId.isEmpty()
        ? connectionStream.acquire()
        : sessionStream(sessionId.get()).acquire();
  }

  boolean idleSince(Instant before) {
    return lastActive.isBefore(before)
        && !connectionStream.hasReceiver()
        && sessionStreams.values().stream().noneMatch(Mailbox::hasReceiver);
  }

  boolean isClosed() {
    return closed;
  }

  /** DELETE, expiry or shutdown: streams end, the agent lets its sessions go. */
  void close() {
    if (closed) return;
    closed = true;
    CompletableFuture<JsonNode> init = initializing;
    if (init != null) init.completeExceptionally(new IllegalStateException("connection closed"));
    peer.close();
    connectionStream.close();
    sessionStreams.values().forEach(Mailbox::close);
  }

  private void touch() {
    lastActive = Instant.now();
  }

  /** The agent's messages, each onto its stream. */
  private void route(JsonNode message) {
    if (closed) return;
    boolean isResponse = !message.has("method");
    if (isResponse) {
      // The first answer of a new connection is initialize's, whatever its id: an error answer to
      // a malformed id carries "id": null.
      CompletableFuture<JsonNode> init = initializing;
      if (init != null) {
        init.complete(message);
        return;
      }
      String key = key(message.get("id"));
      String route = requestRoutes.remove(key);
      String loaded = loads.remove(key);
      if (loaded != null) awaitReplayWritten(loaded);
      deliver(route == null ? CONNECTION : route, message);
      return;
    }
    String route = sessionOf(message).orElse(CONNECTION);
    if (message.has("id")) ourRequestRoutes.put(key(message.get("id")), route);
    deliver(route, message);
  }

  /**
   * {@code session/load}'s answer goes on the connection's stream, its replay on the session's: the
   * answer waits (briefly) until the session's receiver has written the replay, so that a client
   * reading both streams sees the conversation before the answer, as over stdio.
   */
  private void awaitReplayWritten(String sessionId) {
    Mailbox stream = sessionStreams.get(sessionId);
    if (stream == null) return;
    try {
      stream.awaitWritten(REPLAY_WRITE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(String route, JsonNode message) {
    String json = AcpJson.write(message);
    if (route.equals(CONNECTION)) connectionStream.push(json);
    else sessionStream(route).push(json);
  }

  private Mailbox sessionStream(String sessionId) {
    return sessionStreams.computeIfAbsent(sessionId, s -> new Mailbox(this::counted));
  }

  private void counted(long bytes) {
    if (buffered.addAndGet(bytes) > maxBufferedBytes && !closed) onOverflow.run();
  }

  private static Optional<String> sessionOf(JsonNode message) {
    JsonNode s = message.path("params").path("sessionId");
    return s.isTextual() ? Optional.of(s.asText()) : Optional.empty();
  }

  static String key(JsonNode id) {
    return id == null ? "null" : id.isTextual() ? "s:" + id.asText() : "n:" + id;
  }
}

package goose.acp.http;

import com.fasterxml.jackson.databind.JsonNode;
import goose.acp.agent.AcpAgent;
import goose.acp.agent.AcpServices;
import goose.acp.rpc.RpcPeer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACP connections of the {@code /acp} endpoint, transport-side: Streamable HTTP connections
 * (created by {@code initialize}, addressed by {@code Acp-Connection-Id}, ended by {@code DELETE}
 * or after {@link #IDLE} without any request or open stream) and WebSocket connections (one per
 * socket). Each belongs to the user who opened it: another user's connection id is unknown (404),
 * like another user's session. The server maps these answers onto HTTP; nothing here knows Jetty.
 */
public final class AcpConnections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AcpConnections.class);

  /** A connection nobody touched this long (no POST, no GET stream open) is closed. */
  public static final Duration IDLE = Duration.ofMinutes(10);

  /** Agent output queued on one connection's streams, unread, before it is closed. */
  public static final long MAX_BUFFERED_BYTES = 64L * 1024 * 1024;

  /** Open connections per user (HTTP and WebSocket together). */
  public static final int MAX_PER_USER = 64;

  private final AcpServices services;
  private final Map<String, AcpConnection> http = new ConcurrentHashMap<>();
  private final Map<String, RpcPeer> sockets = new ConcurrentHashMap<>();
  private final Map<String, String> socketUsers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService reaper =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("acp-reaper").factory());

  private final ScheduledFuture<?> reaping;

  public AcpConnections(AcpServices services) {
    this.services = services;
    this.reaping = reaper.scheduleAtFixedRate(this::closeIdle, 30, 30, TimeUnit.SECONDS);
  }

  public AcpServices services() {
    return services;
  }

  /** What {@code initialize} gave: the new connection's id and the answer to send back. */
  public record Initialized(String connectionId, JsonNode response) {}

  /**
   * Thrown when {@code initialize} was answered with an error (a malformed id, params or version):
   * the connection is not kept, and {@link #response} is the JSON-RPC error to send back.
   */
  public static final class InitializeFailed extends RuntimeException {
    private final transient JsonNode response;

    InitializeFailed(JsonNode response) {
      super(response.path("error").path("message").asText("initialize failed"));
      this.response = response;
    }

    public JsonNode response() {
      return response;
    }
  }

  /** Thrown when a user has {@link #MAX_PER_USER} connections open already. */
  public static final class TooManyConnections extends RuntimeException {
    TooManyConnections() {
      super("too many open ACP connections for this user (" + MAX_PER_USER + ")");
    }
  }

  /**
   * A new Streamable HTTP connection, initialized with {@code message}; {@code admin}: the user may
   * manage the server ({@link AcpAgent#connect}).
   */
  public Initialized initialize(String user, boolean admin, JsonNode message)
      throws InterruptedException {
    checkLimit(user);
    AcpConnection[] made = new AcpConnection[1];
    AcpConnection c =
        new AcpConnection(
            services,
            user,
            admin,
            MAX_BUFFERED_BYTES,
            () -> {
              log.warn(
                  "closing ACP connection: its client left more than {} bytes unread",
                  MAX_BUFFERED_BYTES);
              if (made[0] != null) remove(made[0].id());
            });
    made[0] = c;
    http.put(c.id(), c);
    JsonNode response;
    try {
      response = c.initialize(message);
    } catch (RuntimeException | InterruptedException e) {
      remove(c.id());
      throw e;
    }
    if (response.has("error")) {
      remove(c.id());
      throw new InitializeFailed(response);
    }
    return new Initialized(c.id(), response);
  }

  /** The user's connection of this id; empty for an unknown id or another user's. */
  public Optional<AcpConnection> get(String user, String connectionId) {
    AcpConnection c = http.get(connectionId);
    return c == null || c.isClosed() || !c.user().equals(user) ? Optional.empty() : Optional.of(c);
  }

  /** {@code DELETE /acp}: false for an unknown id or another user's. */
  public boolean delete(String user, String connectionId) {
    if (get(user, connectionId).isEmpty()) return false;
    remove(connectionId);
    return true;
  }

  /**
   * A WebSocket connection: every agent message goes to {@code send} (one text frame each); feed it
   * what the socket receives; close it when the socket closes.
   */
  public RpcPeer openWebSocket(
      String user, boolean admin, String connectionId, Consumer<JsonNode> send) {
    checkLimit(user);
    RpcPeer peer = AcpAgent.connect(services, user, admin, send::accept);
    sockets.put(connectionId, peer);
    socketUsers.put(connectionId, user);
    return peer;
  }

  public void closeWebSocket(String connectionId) {
    RpcPeer peer = sockets.remove(connectionId);
    socketUsers.remove(connectionId);
    if (peer != null) peer.close();
  }

  public int open() {
    return http.size() + sockets.size();
  }

  @Override
  public void close() {
    reaping.cancel(false);
    reaper.shutdownNow();
    List.copyOf(http.keySet()).forEach(this::remove);
    List.copyOf(sockets.keySet()).forEach(this::closeWebSocket);
  }

  /**
   * Throws {@link TooManyConnections} when {@code user} may not open another connection now: asked
   * before a WebSocket upgrade, so that the refusal is an HTTP 429 rather than a socket opened and
   * closed at once.
   */
  public void checkLimit(String user) {
    long mine =
        http.values().stream().filter(c -> c.user().equals(user)).count()
            + socketUsers.values().stream().filter(user::equals).count();
    if (mine >= MAX_PER_USER) throw new TooManyConnections();
  }

  private void remove(String connectionId) {
    AcpConnection c = http.remove(connectionId);
    if (c != null) c.close();
  }

  private void closeIdle() {
    Instant before = Instant.now().minus(IDLE);
    http.values().stream()
        .filter(c -> c.idleSince(before))
        .map(AcpConnection::id)
        .toList()
        .forEach(
            id -> {
              log.info("closing idle ACP connection {}", id);
              remove(id);
            });
  }
}

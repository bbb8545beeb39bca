package goose.acp.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcPeer;
import goose.acp.wire.AcpJson;
import goose.acp.wire.SessionUpdate;
import goose.conversation.TokenUsage;
import goose.event.EventLog;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one session's event log for one ACP connection, from the moment the connection took the
 * session up (new, load, resume, first prompt): every event, whichever face started its turn, is
 * projected to {@code session/update}s; an approval request becomes a {@code
 * session/request_permission} ({@link Permissions}); the end of a turn becomes a usage update and
 * completes that turn's prompt, if this connection sent it.
 */
final class SessionFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionFollower.class);
  private static final int REMEMBERED_ENDS = 32;

  /** How a turn ended: its stop reason and usage, and the error that ended it, if one did. */
  record TurnEnd(String stopReason, TokenUsage usage, Optional<TurnEvent.Error> error) {}

  private final AcpServices services;
  private final String user;
  private final String sessionId;
  private final RpcPeer peer;
  private final EventLog.Subscription subscription;
  private final UpdateProjection projection = new UpdateProjection();
  private final Permissions permissions;
  private final Map<String, CompletableFuture<TurnEnd>> ends = new LinkedHashMap<>();
  private final Map<String, TurnEvent.Error> errors = new LinkedHashMap<>();
  private volatile boolean closed;

  SessionFollower(AcpServices services, String user, String sessionId, RpcPeer peer) {
    this.services = services;
    this.user = user;
    this.sessionId = sessionId;
    this.peer = peer;
    this.permissions = new Permissions(services.approvals(), user, sessionId, peer, this::send);
    this.subscription =
        services.events().subscribe(sessionId, services.events().lastSeq(sessionId));
    // Approvals asked before this connection took the session up (a reconnect, another face's
    // turn) are asked here too; later ones arrive as events.
    for (var open : services.approvals().store().openIn(sessionId)) {
      if (open.user().equals(user))
        permissions.ask(
            new TurnEvent.ToolApprovalRequired(open.callId(), open.tool(), open.arguments()));
    }
    Thread.ofVirtual().name("acp-follow-" + sessionId).start(this::run);
  }

  String sessionId() {
    return sessionId;
  }

  /** Completes when the turn ends (at once if it already did while followed). */
  CompletableFuture<TurnEnd> turnEnd(String turnId) {
    synchronized (ends) {
      CompletableFuture<TurnEnd> end = ends.computeIfAbsent(turnId, k -> new CompletableFuture<>());
      if (closed && !end.isDone())
        end.completeExceptionally(new IllegalStateException("the session is no longer followed"));
      return end;
    }
  }

  /** Forgets a turn's end once its prompt has answered. */
  void forget(String turnId) {
    synchronized (ends) {
      ends.remove(turnId);
    }
  }

  void send(SessionUpdate update) {
    ObjectNode params = AcpJson.object().put("sessionId", sessionId);
    params.set("update", AcpJson.tree(update));
    peer.notify("session/update", params);
  }

  private void run() {
    try {
      while (!closed) {
        Optional<StoredEvent> next = subscription.next(Duration.ofSeconds(1));
        if (next.isPresent()) handle(next.get());
        else if (subscription.isClosed()) break;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("following session {} for ACP stopped: {}", sessionId, e.toString());
    } finally {
      close();
    }
  }

  private void handle(StoredEvent stored) {
    TurnEvent event = stored.event();
    projection.project(event).forEach(this::send);
    switch (event) {
      case TurnEvent.ToolApprovalRequired asked -> permissions.ask(asked);
      case TurnEvent.Error error -> {
        synchronized (ends) {
          errors.put(stored.turnId(), error);
        }
      }
      case TurnEvent.MessageComplete done -> ended(stored.turnId(), done);
      default -> {}
    }
  }

  private void ended(String turnId, TurnEvent.MessageComplete done) {
    services
        .sessions()
        .get(user, sessionId)
        .ifPresent(
            s ->
                send(
                    new SessionUpdate.UsageUpdate(
                        s.lastUsage().total(), ContextWindow.of(services.config()))));
    synchronized (ends) {
      TurnEnd end =
          new TurnEnd(done.stopReason(), done.usage(), Optional.ofNullable(errors.remove(turnId)));
      ends.computeIfAbsent(turnId, k -> new CompletableFuture<>()).complete(end);
      // Ends of turns no prompt here waits for (another face's) are kept a little, then dropped.
      var it = ends.values().iterator();
      while (ends.size() > REMEMBERED_ENDS && it.hasNext()) {
        if (it.next().isDone()) it.remove();
      }
    }
  }

  /**
   * Waits up to {@code timeout} for the turns this connection's prompts wait on to end (after a
   * cancel), so that those prompts answer with the turn's own end before the session is let go.
   */
  void awaitPromptedTurns(Duration timeout) {
    CompletableFuture<?>[] waiting;
    synchronized (ends) {
      waiting = ends.values().stream().filter(f -> !f.isDone()).toArray(CompletableFuture[]::new);
    }
    try {
      CompletableFuture.allOf(waiting).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException notEnded) {
      log.debug("session {}: prompts still waiting after {}", sessionId, timeout);
    }
  }

  /** Stops following; prompts still waiting on this connection fail. */
  @Override
  public void close() {
    closed = true;
    subscription.close();
    synchronized (ends) {
      ends.values()
          .forEach(
              f ->
                  f.completeExceptionally(
                      new IllegalStateException("the session is no longer followed")));
    }
  }
}

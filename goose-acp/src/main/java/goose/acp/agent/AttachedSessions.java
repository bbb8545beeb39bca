package goose.acp.agent;

import goose.acp.rpc.RpcPeer;
import goose.extension.ExtensionConfig;
import goose.extension.SessionToolbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions one ACP connection has taken up: each followed ({@link SessionFollower}) and with
 * the MCP servers the client gave for it. Closing the connection lets them all go; the sessions
 * stay stored, and their turns run on.
 */
final class AttachedSessions implements AutoCloseable {
  private final AcpServices services;
  private final String user;
  private final SessionToolbox.GivenBy givenBy;
  private final RpcPeer peer;
  private final Map<String, SessionFollower> followers = new ConcurrentHashMap<>();

  AttachedSessions(AcpServices services, String user, boolean admin, RpcPeer peer) {
    this.services = services;
    this.user = user;
    this.givenBy = admin ? SessionToolbox.GivenBy.ADMIN : SessionToolbox.GivenBy.USER;
    this.peer = peer;
  }

  /**
   * Takes the session up (again): its own MCP servers become {@code servers} (started before
   * anything else changes, so a failure leaves the session as it was), and it is followed from now
   * on.
   */
  SessionFollower attach(String sessionId, List<ExtensionConfig> servers) {
    if (!servers.isEmpty() || !services.toolbox().attached(sessionId).isEmpty()) {
      java.nio.file.Path workspace =
          services
              .sessions()
              .get(user, sessionId)
              .orElseThrow(() -> new goose.session.SessionNotFoundException(sessionId))
              .workingDir();
      services.toolbox().attach(sessionId, workspace, servers, givenBy);
    }
    SessionFollower fresh = new SessionFollower(services, user, sessionId, peer);
    SessionFollower previous = followers.put(sessionId, fresh);
    if (previous != null) previous.close();
    return fresh;
  }

  /**
   * The session's follower, taking the session up (without servers) when this connection had not.
   */
  SessionFollower ensure(String sessionId) {
    return followers.computeIfAbsent(
        sessionId, id -> new SessionFollower(services, user, id, peer));
  }

  Optional<SessionFollower> follower(String sessionId) {
    return Optional.ofNullable(followers.get(sessionId));
  }

  void detach(String sessionId) {
    SessionFollower f = followers.remove(sessionId);
    if (f != null) f.close();
    services.toolbox().detach(sessionId);
  }

  @Override
  public void close() {
    new ArrayList<>(followers.keySet()).forEach(this::detach);
  }
}

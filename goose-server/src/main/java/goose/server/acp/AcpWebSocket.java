package goose.server.acp;

import com.fasterxml.jackson.core.JsonProcessingException;
import goose.acp.http.AcpConnections;
import goose.acp.rpc.RpcPeer;
import goose.acp.wire.AcpJson;
import goose.error.ErrorMessages;
import goose.ids.Ids;
import goose.server.auth.Security;
import goose.server.http.ApiException;
import goose.server.http.CredentialCheck;
import goose.server.http.ErrorCode;
import goose.server.http.RequestUser;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsCloseStatus;
import io.javalin.websocket.WsContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The WebSocket profile of {@code /acp}: a {@code GET /acp} with {@code Upgrade: websocket} becomes
 * one ACP connection, a JSON-RPC message per text frame each way (up to {@code
 * GOOSE_MAX_BODY_BYTES}, like an HTTP body; a binary frame is answered with a parse error); the
 * {@code 101} answer carries {@code Acp-Connection-Id}. A user with {@link
 * AcpConnections#MAX_PER_USER} connections open gets 429 instead of the upgrade. Credentials are
 * checked before the upgrade, as for any request; a browser, which cannot set headers on an
 * upgrade, may send them as {@code ?token=} (the secret or a bearer token). While the socket is
 * open they are checked again every {@link CredentialCheck#INTERVAL}: a token that no longer
 * authenticates (rotated, its user removed) closes it (1008, policy violation).
 */
public final class AcpWebSocket {
  private static final String USER = "goose.acp.user";
  private static final String ADMIN = "goose.acp.admin";
  private static final String CONNECTION = "goose.acp.connection";
  private static final String CREDENTIALS = "goose.acp.credentials";

  private AcpWebSocket() {}

  /** {@code acp} is asked for at each connection: the routes are installed before it exists. */
  public static void install(
      RoutesConfig routes, Supplier<AcpConnections> acp, Security security, long maxMessageBytes) {
    routes.wsBeforeUpgrade(
        "/acp",
        ctx -> {
          authenticate(ctx, security);
          try {
            acp.get().checkLimit(ctx.attribute(USER)); // a 429 now, not a socket closed at once
          } catch (AcpConnections.TooManyConnections e) {
            throw new ApiException(ErrorCode.TOO_MANY_REQUESTS, ErrorMessages.of(e));
          }
        });
    routes.ws(
        "/acp",
        ws -> {
          ws.onConnect(
              c -> {
                c.enableAutomaticPings(15, TimeUnit.SECONDS);
                // Jetty's default (64 KiB) would close the socket on an image prompt; a message may
                // be as large as an HTTP body (GOOSE_MAX_BODY_BYTES), in one frame or several.
                c.session.setMaxTextMessageSize(maxMessageBytes);
                c.session.setMaxFrameSize(maxMessageBytes);
                String id = c.attribute(CONNECTION);
                String user = c.attribute(USER);
                boolean admin = Boolean.TRUE.equals(c.attribute(ADMIN));
                // not a monitor: send blocks, which would pin a virtual thread's carrier
                ReentrantLock lock = new ReentrantLock();
                RpcPeer peer;
                try {
                  peer =
                      acp.get()
                          .openWebSocket(
                              user,
                              admin,
                              id,
                              message -> {
                                lock.lock();
                                try {
                                  c.send(AcpJson.write(message));
                                } finally {
                                  lock.unlock();
                                }
                              });
                } catch (AcpConnections.TooManyConnections raced) { // another opened meanwhile
                  c.closeSession(WsCloseStatus.TRY_AGAIN_LATER, ErrorMessages.of(raced));
                  return;
                }
                c.attribute("goose.acp.peer", peer);
                CredentialCheck check = c.attribute(CREDENTIALS);
                if (check != null && check != CredentialCheck.ALWAYS) watchCredentials(c, check);
              });
          ws.onMessage(
              m -> {
                RpcPeer peer = m.attribute("goose.acp.peer");
                if (peer == null) return;
                try {
                  peer.receive(AcpJson.parse(m.message()));
                } catch (JsonProcessingException e) {
                  peer.unparsable(e.getOriginalMessage());
                }
              });
          ws.onBinaryMessage(
              m -> {
                RpcPeer peer = m.attribute("goose.acp.peer");
                if (peer != null)
                  peer.unparsable("a binary frame: send each JSON-RPC message as a text frame");
              });
          ws.onClose(c -> closed(c, acp.get()));
          ws.onError(c -> closed(c, acp.get()));
        });
  }

  /** Closes the socket once its credentials no longer authenticate (see the class comment). */
  private static void watchCredentials(WsContext c, CredentialCheck check) {
    CredentialCheck.Periodic periodic = new CredentialCheck.Periodic(check);
    Thread.ofVirtual()
        .name("acp-ws-credentials")
        .start(
            () -> {
              try {
                while (c.session.isOpen()) {
                  Thread.sleep(periodic.untilNext().toMillis() + 1);
                  if (c.session.isOpen() && !periodic.valid()) {
                    c.closeSession(
                        WsCloseStatus.POLICY_VIOLATION,
                        "the credentials no longer authenticate (token rotated or user removed)");
                    return;
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  private static void closed(WsContext c, AcpConnections acp) {
    String id = c.attribute(CONNECTION);
    if (id == null) return;
    acp.closeWebSocket(id);
  }

  private static void authenticate(Context ctx, Security security) {
    security.cors().checkUpgrade(ctx);
    String token = ctx.queryParam("token");
    boolean headerCredentials =
        ctx.header("Authorization") != null
            || ctx.header(goose.server.auth.Authenticator.SECRET_HEADER) != null;
    goose.server.auth.Authenticator.Authenticated proof =
        token != null && !token.isEmpty() && !headerCredentials
            ? security.authenticator().authenticateToken(ctx, token)
            : security.authenticator().authenticate(ctx);
    RequestUser user = proof.user();
    security.rateLimiter().acquire(user.id());
    String id = Ids.newId();
    ctx.attribute(USER, user.id());
    ctx.attribute(ADMIN, user.admin());
    ctx.attribute(CREDENTIALS, proof.check());
    ctx.attribute(CONNECTION, id);
    ctx.header(AcpRoutes.CONNECTION_HEADER, id);
  }
}

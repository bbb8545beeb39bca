package goose.server.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.http.AcpConnection;
import goose.acp.http.AcpConnections;
import goose.acp.http.HttpAnswer;
import goose.acp.http.Mailbox;
import goose.acp.rpc.RpcException;
import goose.error.ErrorMessages;
import goose.json.Json;
import goose.server.api.ApiRouter;
import goose.server.api.Param;
import goose.server.api.RequestBody;
import goose.server.api.RouteGroup;
import goose.server.http.ApiException;
import goose.server.http.CredentialCheck;
import goose.server.http.ErrorCode;
import goose.server.http.ErrorMapping;
import goose.server.http.RequestUser;
import goose.server.http.SseStream;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code /acp}: the Agent Client Protocol over Streamable HTTP, as the ACP HTTP/WebSocket RFD
 * defines it and goose serves it. {@code POST} carries every client message ({@code initialize}
 * answered 200 with {@code Acp-Connection-Id}, everything else 202); {@code GET} with {@code
 * Accept: text/event-stream} opens the connection's stream, or a session's with {@code
 * Acp-Session-Id}; {@code DELETE} ends the connection. The WebSocket upgrade on the same path is
 * {@link AcpWebSocket}. Authentication and user isolation are the server's own, as for every other
 * route.
 */
public final class AcpRoutes implements RouteGroup {
  public static final String CONNECTION_HEADER = "Acp-Connection-Id";
  public static final String SESSION_HEADER = "Acp-Session-Id";

  /** How often a silent stream gets a comment: keeps proxies open, reveals a gone client. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(2);

  private static final Param<Optional<String>> CONNECTION =
      Param.header(CONNECTION_HEADER, "The connection, as initialize answered it", 128);
  private static final Param<Optional<String>> SESSION =
      Param.header(SESSION_HEADER, "The ACP session a message or stream is for", 128);

  private final AcpConnections acp;

  public AcpRoutes(AcpConnections acp) {
    this.acp = acp;
  }

  public static void declare(ApiRouter.Routes<AcpRoutes> api) {
    api.post("/acp", "acpPost")
        .tag("acp")
        .summary("Send an ACP message (JSON-RPC)")
        .description(
            """
            Agent Client Protocol over Streamable HTTP. The first message is initialize, without \
            Acp-Connection-Id: it is answered here (200) with the Acp-Connection-Id header. Every later \
            message carries that header (and Acp-Session-Id for a session's messages) and is answered 202; \
            the agent's answers and notifications arrive on the GET streams. See docs/acp.md.""")
        .param(CONNECTION)
        .param(SESSION)
        .body(JsonNode.class)
        .response(200, "The answer to initialize", JsonNode.class)
        .noContent(202, "Accepted; the answer follows on a stream")
        .response(
            400,
            "A batch or a failed initialize (the body is a JSON-RPC error), or not JSON, or a"
                + " missing or mismatched header (the body is the API's error object)",
            JsonNode.class)
        .error(404, "Unknown Acp-Connection-Id")
        .error(429, "Too many open ACP connections for this user")
        .handle(AcpRoutes::post);
    api.get("/acp", "acpStream")
        .tag("acp")
        .summary("Receive ACP messages (Server-Sent Events)")
        .description(
            """
            The connection's stream (Acp-Connection-Id), or one session's (with Acp-Session-Id): each \
            event's data is one JSON-RPC message. Messages sent before the stream opened are kept for it. \
            One receiver per stream. A GET with Upgrade: websocket opens a WebSocket connection instead.""")
        .param(CONNECTION)
        .param(SESSION)
        .response(200, "The stream", "text/event-stream", JsonNode.class)
        .error(400, "Missing Acp-Connection-Id")
        .error(404, "Unknown Acp-Connection-Id")
        .error(406, "The client does not accept text/event-stream")
        .error(409, "The stream already has a receiver")
        .handle(AcpRoutes::stream);
    api.delete("/acp", "acpDelete")
        .tag("acp")
        .summary("End an ACP connection")
        .param(CONNECTION)
        .noContent(202, "The connection is closed")
        .error(400, "Missing Acp-Connection-Id")
        .error(404, "Unknown Acp-Connection-Id")
        .handle(AcpRoutes::delete);
  }

  private void post(Context ctx) throws InterruptedException {
    JsonNode message = RequestBody.of(ctx, JsonNode.class);
    if (message.isArray()) {
      ObjectNode error = Json.object().put("jsonrpc", "2.0").putNull("id");
      error
          .putObject("error")
          .put("code", RpcException.INVALID_REQUEST)
          .put("message", "JSON-RPC batches are not supported");
      rpcError(ctx, error);
      return;
    }
    RequestUser requestUser = RequestUser.of(ctx);
    String user = requestUser.id();
    Optional<String> connectionId = CONNECTION.read(ctx);
    if (isInitialize(message)) {
      if (connectionId.isPresent())
        throw ApiException.badHeader(
            CONNECTION_HEADER, "must not be sent with initialize (it opens a new connection)");
      AcpConnections.Initialized made;
      try {
        made = acp.initialize(user, requestUser.admin(), message);
      } catch (AcpConnections.TooManyConnections e) {
        throw new ApiException(ErrorCode.TOO_MANY_REQUESTS, ErrorMessages.of(e));
      } catch (AcpConnections.InitializeFailed e) {
        rpcError(ctx, e.response()); // no connection was kept: no Acp-Connection-Id
        return;
      }
      ctx.header(CONNECTION_HEADER, made.connectionId()).status(200).json(made.response());
      return;
    }
    AcpConnection connection = connection(ctx, connectionId);
    HttpAnswer answer = connection.post(message, SESSION.read(ctx));
    if (answer.status() != 202)
      throw new ApiException(ErrorCode.forStatus(answer.status()), answer.reason());
    ctx.status(202);
  }

  /** 400 with a JSON-RPC error as the body (not the API's error object: the client speaks ACP). */
  private static void rpcError(Context ctx, JsonNode error) {
    ErrorMapping.ownErrorBody(ctx);
    ctx.status(400).json(error);
  }

  private void stream(Context ctx) throws IOException, InterruptedException {
    String accept = ctx.header("Accept");
    if (accept == null || !accept.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream"))
      throw new ApiException(
          ErrorCode.NOT_ACCEPTABLE, "GET /acp is an event stream: send Accept: text/event-stream");
    AcpConnection connection = connection(ctx, CONNECTION.read(ctx));
    Mailbox.Lease lease =
        connection.stream(SESSION.read(ctx))
            .orElseThrow(
                () -> new ApiException(ErrorCode.CONFLICT, "this stream already has a receiver"));
    CredentialCheck.Periodic credentials = new CredentialCheck.Periodic(CredentialCheck.of(ctx));
    try (lease) {
      SseStream out = new SseStream(ctx.res());
      while (true) {
        if (!credentials.valid()) { // a rotated token, a removed user: the stream ends
          try {
            out.comment("the credentials of this stream no longer authenticate: it ends");
          } catch (IOException gone) {
            // ending anyway
          }
          return;
        }
        Optional<String> next = lease.next(KEEP_ALIVE);
        if (next.isPresent()) {
          try {
            out.data(next.get());
          } catch (IOException gone) {
            lease.unread(next.get()); // kept for the client's next GET
            return;
          }
        } else if (lease.ended()) {
          return;
        } else {
          try {
            out.comment("keep-alive");
          } catch (IOException gone) {
            return;
          }
        }
      }
    }
  }

  private void delete(Context ctx) {
    String id =
        CONNECTION
            .read(ctx)
            .orElseThrow(() -> ApiException.badHeader(CONNECTION_HEADER, "is required"));
    if (!acp.delete(RequestUser.of(ctx).id(), id))
      throw ApiException.notFound("unknown " + CONNECTION_HEADER);
    ctx.status(202);
  }

  private AcpConnection connection(Context ctx, Optional<String> connectionId) {
    String id =
        connectionId.orElseThrow(
            () -> ApiException.badHeader(CONNECTION_HEADER, "is required (initialize first)"));
    return acp.get(RequestUser.of(ctx).id(), id)
        .orElseThrow(() -> ApiException.notFound("unknown " + CONNECTION_HEADER));
  }

  private static boolean isInitialize(JsonNode message) {
    return message.isObject()
        && "initialize".equals(message.path("method").asText())
        && message.hasNonNull("id");
  }
}

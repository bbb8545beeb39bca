package goose.acp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcCall;
import goose.acp.rpc.RpcException;
import goose.acp.rpc.RpcHandler;
import goose.acp.rpc.RpcPeer;
import goose.acp.wire.AcpJson;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of one ACP connection, for one user: dispatches the ACP methods to the session,
 * prompt and goose methods, each translating to the same core calls the REST API makes. Whatever
 * carries the connection (stdio, Streamable HTTP, WebSocket) only moves JSON-RPC messages.
 */
public final class AcpAgent implements RpcHandler {
  private static final Logger log = LoggerFactory.getLogger(AcpAgent.class);
  public static final int PROTOCOL_VERSION = 1;

  private final AcpServices services;
  private @Nullable Methods methods; // set by connect(), before the peer reads its first message

  /** What the methods are dispatched to; made once the peer they answer through exists. */
  private record Methods(
      AttachedSessions attached,
      SessionMethods sessions,
      PromptMethods prompts,
      GooseMethods goose) {}

  private AcpAgent(AcpServices services) {
    this.services = services;
  }

  /**
   * A new connection of {@code user} whose messages go to {@code sink}. {@code admin}: the user may
   * manage the server, so the remote MCP servers it gives are trusted as configured extensions are;
   * another user's may not reach loopback, private or link-local addresses.
   */
  public static RpcPeer connect(
      AcpServices services, String user, boolean admin, RpcPeer.Sink sink) {
    AcpAgent agent = new AcpAgent(services);
    RpcPeer peer = new RpcPeer(sink, agent);
    AttachedSessions attached = new AttachedSessions(services, user, admin, peer);
    SessionMethods sessions = new SessionMethods(services, user, attached);
    agent.methods =
        new Methods(
            attached,
            sessions,
            new PromptMethods(services, user, attached),
            new GooseMethods(services, user, sessions));
    return peer;
  }

  private Methods methods() {
    return Objects.requireNonNull(methods, "connect() wires the agent before it is called");
  }

  @Override
  public JsonNode request(String method, JsonNode params, RpcCall call) {
    if (!params.isObject()) throw RpcException.invalidParams("params must be an object");
    try {
      return switch (method) {
        case "initialize" -> initialize(params);
        case "authenticate" -> AcpJson.object();
        case "session/new" -> methods().sessions().create(params);
        case "session/load" -> methods().sessions().load(params);
        case "session/resume" -> methods().sessions().resume(params);
        case "session/list" -> methods().sessions().list(params);
        case "session/close" -> methods().sessions().close(params);
        case "session/delete" -> methods().sessions().delete(params);
        case "session/set_config_option" -> methods().sessions().setConfigOption(params);
        case "session/set_mode" -> methods().sessions().setMode(params);
        case "session/prompt" -> methods().prompts().prompt(params, call);
        case "session/cancel" -> { // a notification; a client that sends it with an id gets {}
          methods().prompts().cancel(params);
          yield AcpJson.object();
        }
        default -> methods().goose().handle(method, params);
      };
    } catch (RuntimeException e) {
      throw AcpErrors.map(e);
    }
  }

  @Override
  public void notification(String method, JsonNode params) {
    if (method.equals("session/cancel")) {
      methods().prompts().cancel(params);
    } else {
      log.debug("ACP notification {} ignored", method);
    }
  }

  @Override
  public void closed() {
    methods().attached().close();
  }

  private JsonNode initialize(JsonNode params) {
    if (!params.path("protocolVersion").isIntegralNumber())
      throw RpcException.invalidParams("protocolVersion must be an integer");
    ObjectNode result = AcpJson.object().put("protocolVersion", PROTOCOL_VERSION);
    ObjectNode caps = result.putObject("agentCapabilities").put("loadSession", true);
    caps.putObject("promptCapabilities")
        .put("image", true)
        .put("audio", false)
        .put("embeddedContext", true);
    caps.putObject("mcpCapabilities").put("http", true).put("sse", false);
    ObjectNode sessionCaps = caps.putObject("sessionCapabilities");
    sessionCaps.putObject("list");
    sessionCaps.putObject("resume");
    sessionCaps.putObject("close");
    sessionCaps.putObject("delete");
    result.putArray("authMethods");
    result
        .putObject("agentInfo")
        .put("name", "goosed")
        .put("title", "goosed")
        .put("version", services.version());
    return result;
  }
}

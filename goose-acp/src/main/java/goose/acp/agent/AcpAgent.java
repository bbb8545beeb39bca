package goose.acp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcCall;
import goose.acp.rpc.RpcException;
import goose.acp.rpc.RpcHandler;
import goose.acp.rpc.RpcPeer;
import goose.acp.wire.AcpJson;
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
  private final String user;
  private AttachedSessions attached;
  private SessionMethods sessions;
  private PromptMethods prompts;
  private GooseMethods goose;

  private AcpAgent(AcpServices services, String user) {
    this.services = services;
    this.user = user;
  }

  /** A new connection of {@code user} whose messages go to {@code sink}. */
  public static RpcPeer connect(AcpServices services, String user, RpcPeer.Sink sink) {
    AcpAgent agent = new AcpAgent(services, user);
    RpcPeer peer = new RpcPeer(sink, agent);
    agent.attached = new AttachedSessions(services, user, peer);
    agent.sessions = new SessionMethods(services, user, agent.attached);
    agent.prompts = new PromptMethods(services, user, agent.attached);
    agent.goose = new GooseMethods(services, user, agent.sessions);
    return peer;
  }

  @Override
  public JsonNode request(String method, JsonNode params, RpcCall call) {
    if (!params.isObject()) throw RpcException.invalidParams("params must be an object");
    try {
      return switch (method) {
        case "initialize" -> initialize(params);
        case "authenticate" -> AcpJson.object();
        case "session/new" -> sessions.create(params);
        case "session/load" -> sessions.load(params);
        case "session/resume" -> sessions.resume(params);
        case "session/list" -> sessions.list(params);
        case "session/close" -> sessions.close(params);
        case "session/delete" -> sessions.delete(params);
        case "session/set_config_option" -> sessions.setConfigOption(params);
        case "session/set_mode" -> sessions.setMode(params);
        case "session/prompt" -> prompts.prompt(params, call);
        default -> goose.handle(method, params);
      };
    } catch (RuntimeException e) {
      throw AcpErrors.map(e);
    }
  }

  @Override
  public void notification(String method, JsonNode params) {
    if (method.equals("session/cancel")) {
      prompts.cancel(params);
    } else {
      log.debug("ACP notification {} ignored", method);
    }
  }

  @Override
  public void closed() {
    attached.close();
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

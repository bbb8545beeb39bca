package goose.acp.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcException;
import goose.acp.wire.AcpJson;
import goose.acp.wire.ConfigOption;
import goose.approval.ApprovalMode;
import goose.provider.Providers;
import goose.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session's settings as ACP shows them: the config options {@code provider}, {@code model}
 * (category model) and {@code mode} (category mode, the tool approval mode), and the same mode as
 * ACP's older {@code modes} state. The mode is the session's own (the REST API's {@code PATCH
 * /sessions/{id}} mode); provider and model are the server's.
 */
final class SessionSettings {
  private static final String[][] MODES = {
    {"auto", "Automatically approve tool calls"},
    {"approve", "Ask before every tool call"},
    {"smart_approve", "Ask only for tool calls that are not read-only"},
    {"chat", "Chat only, no tool calls"},
  };

  private final AcpServices services;

  SessionSettings(AcpServices services) {
    this.services = services;
  }

  String mode(Session session) {
    return session.mode().orElse(services.approvals().settings().defaultMode()).wire();
  }

  String provider() {
    return services.config().get("GOOSE_PROVIDER").map(String::strip).orElse("");
  }

  String model() {
    return services.config().get("GOOSE_MODEL").map(String::strip).orElse("");
  }

  List<ConfigOption> options(Session session) {
    List<ConfigOption.Choice> providers = new ArrayList<>();
    for (String p : Providers.known(services.config()))
      providers.add(new ConfigOption.Choice(p, p, Optional.empty()));
    if (providers.stream().noneMatch(c -> c.value().equals(provider())))
      providers.add(0, new ConfigOption.Choice(provider(), provider(), Optional.empty()));
    List<ConfigOption.Choice> modes = new ArrayList<>();
    for (String[] m : MODES) modes.add(new ConfigOption.Choice(m[0], m[0], Optional.of(m[1])));
    return List.of(
        ConfigOption.select("provider", "Provider", Optional.empty(), provider(), providers),
        ConfigOption.select(
            "model",
            "Model",
            Optional.of("model"),
            model(),
            List.of(new ConfigOption.Choice(model(), model(), Optional.empty()))),
        ConfigOption.select("mode", "Mode", Optional.of("mode"), mode(session), modes));
  }

  /** ACP's {@code modes}: the approval modes, the session's current. */
  ObjectNode modes(Session session) {
    ObjectNode state = AcpJson.object().put("currentModeId", mode(session));
    ArrayNode available = state.putArray("availableModes");
    for (String[] m : MODES)
      available.addObject().put("id", m[0]).put("name", m[0]).put("description", m[1]);
    return state;
  }

  /** {@code sessionId} plus what a new or loaded session's answer carries. */
  ObjectNode describe(Session session, ObjectNode into) {
    into.set("modes", modes(session));
    into.set("configOptions", AcpJson.tree(options(session)));
    return into;
  }

  /**
   * Sets one option; returns the session as it is now. Provider and model are the server's
   * settings, the same for every session: changing them from one session is refused, naming what to
   * set instead.
   */
  Session set(Session session, String configId, String value) {
    return switch (configId) {
      case "mode" -> setMode(session, value);
      case "model", "provider" -> {
        String current = configId.equals("model") ? model() : provider();
        if (value.equals(current)) yield session;
        throw RpcException.invalidParams(
            configId
                + " is the server's setting (GOOSE_"
                + configId.toUpperCase(java.util.Locale.ROOT)
                + "), the same for every session; it cannot be changed per session");
      }
      default -> throw RpcException.invalidParams("Unsupported config option: " + configId);
    };
  }

  Session setMode(Session session, String value) {
    ApprovalMode mode =
        ApprovalMode.parse(value)
            .orElseThrow(
                () -> RpcException.invalidParams("mode must be " + ApprovalMode.choices()));
    return services
        .sessions()
        .setMode(session.owner(), session.id(), Optional.of(mode))
        .orElseThrow(() -> RpcException.notFound("Session not found: " + session.id()));
  }
}

package goose.acp.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcException;
import goose.acp.wire.AcpJson;
import goose.acp.wire.ConfigOption;
import goose.approval.ApprovalMode;
import goose.error.ErrorMessages;
import goose.provider.ProviderNotConfiguredException;
import goose.provider.configured.Providers;
import goose.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session's settings as ACP shows them: the config options {@code provider}, {@code model}
 * (category model) and {@code mode} (category mode, the tool approval mode), and the same mode as
 * ACP's older {@code modes} state. All three are the session's own, stored with it (the mode is the
 * REST API's {@code PATCH /sessions/{id}} mode); unset, they follow {@code GOOSE_PROVIDER}, {@code
 * GOOSE_MODEL} and {@code GOOSE_MODE}.
 */
final class SessionSettings {
  static final int MAX_MODEL_LENGTH = 200;
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

  String provider(Session session) {
    return session
        .provider()
        .or(() -> services.config().get("GOOSE_PROVIDER").map(String::strip))
        .orElse("");
  }

  /** The model the session's turns use (its own, or its provider's as configured). */
  String model(Session session) {
    if (session.model().isPresent()) return session.model().get();
    try {
      return services.providers().forSession(session).model();
    } catch (RuntimeException notConfigured) {
      return services.config().get("GOOSE_MODEL").map(String::strip).orElse("");
    }
  }

  List<ConfigOption> options(Session session) {
    String provider = provider(session);
    String model = model(session);
    List<ConfigOption.Choice> providers = new ArrayList<>();
    for (String p : Providers.known(services.config()))
      providers.add(new ConfigOption.Choice(p, p, Optional.empty()));
    if (providers.stream().noneMatch(c -> c.value().equals(provider)))
      providers.add(0, new ConfigOption.Choice(provider, provider, Optional.empty()));
    List<ConfigOption.Choice> modes = new ArrayList<>();
    for (String[] m : MODES) modes.add(new ConfigOption.Choice(m[0], m[0], Optional.of(m[1])));
    return List.of(
        ConfigOption.select("provider", "Provider", Optional.empty(), provider, providers),
        ConfigOption.select(
            "model",
            "Model",
            Optional.of("model"),
            model,
            List.of(new ConfigOption.Choice(model, model, Optional.empty()))),
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

  /** What a new or loaded session's answer carries besides its id. */
  ObjectNode describe(Session session, ObjectNode into) {
    into.set("modes", modes(session));
    into.set("configOptions", AcpJson.tree(options(session)));
    return into;
  }

  /** Sets one option; returns the session as it is now. */
  Session set(Session session, String configId, String value) {
    return switch (configId) {
      case "mode" -> setMode(session, value);
      case "model" -> choose(session, session.provider(), Optional.of(checkModel(value)));
      case "provider" -> {
        if (!Providers.known(services.config()).contains(value))
          throw RpcException.invalidParams(
              "provider must be one of " + String.join(", ", Providers.known(services.config())));
        yield choose(session, Optional.of(value), Optional.empty());
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

  /** Stores a provider and model the server can build: refused naming the missing settings. */
  private Session choose(Session session, Optional<String> provider, Optional<String> model) {
    try {
      Providers.fromConfig(services.config(), provider, model);
    } catch (ProviderNotConfiguredException e) {
      throw RpcException.invalidParams(ErrorMessages.of(e));
    }
    return services
        .sessions()
        .setModel(session.owner(), session.id(), provider, model)
        .orElseThrow(() -> RpcException.notFound("Session not found: " + session.id()));
  }

  private static String checkModel(String value) {
    String model = value.strip();
    if (model.isEmpty()
        || model.length() > MAX_MODEL_LENGTH
        || model.chars().anyMatch(Character::isISOControl))
      throw RpcException.invalidParams(
          "model must be 1-" + MAX_MODEL_LENGTH + " printable characters");
    return model;
  }
}

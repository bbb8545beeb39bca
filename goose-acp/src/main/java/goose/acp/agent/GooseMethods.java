package goose.acp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcException;
import goose.acp.wire.AcpJson;
import goose.config.ConfigKey;
import goose.config.ConfigValue;
import goose.extension.ExtensionInfo;
import goose.json.Json;
import goose.provider.ModelLimits;
import goose.provider.configured.Providers;
import goose.session.Session;
import goose.session.SessionNameRule;
import goose.session.WorkingDirectories;
import goose.transfer.InvalidDocumentException;
import goose.transfer.SessionDocument;
import goose.transfer.SessionTransfer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * goose's own extension methods that its chat screens need, under {@code _goose/unstable/}: read a
 * setting, list providers and configured extensions, rename, export and import a session. Every
 * other {@code _goose/} method is not found (-32601): nothing here pretends.
 */
final class GooseMethods {
  static final String PREFIX = "_goose/unstable/";

  private final AcpServices services;
  private final String user;
  private final SessionMethods sessions;

  GooseMethods(AcpServices services, String user, SessionMethods sessions) {
    this.services = services;
    this.user = user;
    this.sessions = sessions;
  }

  JsonNode handle(String method, JsonNode params) {
    if (!method.startsWith(PREFIX)) throw RpcException.methodNotFound(method);
    return switch (method.substring(PREFIX.length())) {
      case "config/read" -> configRead(params);
      case "providers/list" -> providers();
      case "config/extensions/list" -> extensions();
      case "session/rename" -> rename(params);
      case "session/export" -> export(params);
      case "session/import" -> importSession(params);
      default -> throw RpcException.methodNotFound(method);
    };
  }

  /**
   * One setting's effective value ({@code null} when unset). Secrets are never sent: a secret that
   * is set reads as {@code true}.
   */
  private JsonNode configRead(JsonNode params) {
    String key = SessionMethods.text(params, "key");
    boolean secret =
        params.path("isSecret").asBoolean(false)
            || services.config().isSecret(key)
            || ConfigKey.looksSecret(key);
    ObjectNode result = AcpJson.object();
    if (secret) {
      if (services.config().secret(key).isPresent()) result.put("value", true);
      else result.putNull("value");
      return result;
    }
    Optional<JsonNode> node = services.config().node(key);
    if (node.isPresent() && node.get().isContainerNode()) result.set("value", node.get());
    else {
      Optional<ConfigValue> v = services.config().lookup(key);
      if (v.isPresent()) result.put("value", v.get().display());
      else result.putNull("value");
    }
    return result;
  }

  private JsonNode providers() {
    String current = services.config().get("GOOSE_PROVIDER").map(String::strip).orElse("");
    String model = services.config().get("GOOSE_MODEL").map(String::strip).orElse("");
    ObjectNode result = AcpJson.object();
    ArrayNode entries = result.putArray("entries");
    for (String p : Providers.known(services.config())) {
      boolean active = p.equals(current);
      ObjectNode e =
          entries
              .addObject()
              .put("providerId", p)
              .put("providerName", p)
              .put("providerType", Providers.BUILT_IN.contains(p) ? "BuiltIn" : "Declarative")
              .put("configured", active)
              .put("available", active);
      if (active && !model.isEmpty()) {
        e.put("defaultModel", model);
        e.putArray("models")
            .addObject()
            .put("id", model)
            .put("name", model)
            .put("contextLimit", ModelLimits.contextLimit(model));
      } else {
        e.putArray("models");
      }
    }
    return result;
  }

  private JsonNode extensions() {
    ObjectNode result = AcpJson.object();
    ArrayNode list = result.putArray("extensions");
    for (ExtensionInfo x : services.toolbox().shared().list()) {
      ObjectNode entry = list.addObject();
      entry
          .putObject("extension")
          .put("type", x.type())
          .put("name", x.name())
          .put("description", x.description());
      entry.put("enabled", x.enabled()).put("configKey", x.name());
    }
    result.putArray("warnings");
    return result;
  }

  private JsonNode rename(JsonNode params) {
    Session s = sessions.find(params);
    String title;
    try {
      title = SessionNameRule.check(SessionMethods.text(params, "title"));
    } catch (IllegalArgumentException e) {
      throw RpcException.invalidParams("title " + e.getMessage());
    }
    services.sessions().rename(user, s.id(), title).ifPresent(renamed -> sessions.renamed(renamed));
    return AcpJson.object();
  }

  /** The session as the REST API's export document (JSON text). */
  private JsonNode export(JsonNode params) {
    Session s = sessions.find(params);
    return AcpJson.object().put("data", Json.write(SessionTransfer.export(services.sessions(), s)));
  }

  /**
   * A document of {@code session/export} or {@code GET /sessions/{id}/export}, as a new session.
   */
  private JsonNode importSession(JsonNode params) {
    String text =
        params.path("input").isTextual()
            ? params.get("input").asText()
            : SessionMethods.text(params, "data");
    SessionDocument doc;
    try {
      doc = SessionTransfer.parse(text);
    } catch (InvalidDocumentException e) {
      throw RpcException.invalidParams("not an importable session document: " + e.getMessage());
    }
    Path cwd;
    try {
      cwd =
          WorkingDirectories.resolve(
              doc.session().workingDir() == null ? "" : doc.session().workingDir());
      services.workspaces().check(user, cwd);
    } catch (IllegalArgumentException e) {
      throw RpcException.invalidParams("session.working_dir " + e.getMessage());
    }
    Session created = SessionTransfer.importAs(services.sessions(), user, cwd, doc);
    return AcpJson.object()
        .put("sessionId", created.id())
        .put("title", created.name())
        .put("updatedAt", created.updatedAt().toString())
        .put("messageCount", created.messageCount());
  }
}

package goose.acp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcException;
import goose.acp.wire.AcpJson;
import goose.extension.ExtensionConfig;
import goose.extension.ExtensionConfigs;
import goose.extension.ExtensionException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code mcpServers} of {@code session/new}, {@code session/load} and {@code
 * session/resume}: stdio ({@code command}, {@code args}, {@code env}) and HTTP ({@code type:
 * "http"}, {@code url}, {@code headers}) servers, as extension configurations checked by the same
 * rules as {@code POST /extensions} (names, environment names, header names). SSE servers are
 * refused ({@code mcpCapabilities.sse} is false).
 */
final class McpServers {
  static final int MAX_SERVERS = 20;

  private McpServers() {}

  static List<ExtensionConfig> parse(JsonNode servers) {
    if (servers == null || servers.isNull() || servers.isMissingNode()) return List.of();
    if (!servers.isArray()) throw RpcException.invalidParams("mcpServers must be an array");
    if (servers.size() > MAX_SERVERS)
      throw RpcException.invalidParams("mcpServers has more than " + MAX_SERVERS + " servers");
    List<ExtensionConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < servers.size(); i++) {
      String where = "mcpServers[" + i + "]";
      ExtensionConfig c;
      try {
        c = ExtensionConfigs.parse(asExtension(servers.get(i), where));
      } catch (ExtensionException.Invalid e) {
        throw RpcException.invalidParams(where + ": " + e.getMessage());
      }
      if (!names.add(c.name()))
        throw RpcException.invalidParams(where + ".name '" + c.name() + "' is used twice");
      out.add(c);
    }
    return out;
  }

  private static ObjectNode asExtension(JsonNode s, String where) {
    if (!s.isObject()) throw RpcException.invalidParams(where + " must be an object");
    String type = s.path("type").asText("stdio");
    ObjectNode e = AcpJson.object();
    if (s.has("name")) e.set("name", s.get("name"));
    switch (type) {
      case "stdio" -> {
        e.put("type", "stdio");
        if (s.has("command")) e.set("cmd", s.get("command"));
        if (s.has("args")) e.set("args", s.get("args"));
        e.set("envs", pairs(s.path("env"), where + ".env"));
      }
      case "http" -> {
        e.put("type", "streamable_http");
        if (s.has("url")) e.set("uri", s.get("url"));
        e.set("headers", pairs(s.path("headers"), where + ".headers"));
      }
      default ->
          throw RpcException.invalidParams(
              where + ".type '" + type + "' is not supported (stdio or http)");
    }
    return e;
  }

  /** ACP's {@code [{"name":..,"value":..}]} as the object goose's configuration uses. */
  private static ObjectNode pairs(JsonNode list, String where) {
    ObjectNode out = AcpJson.object();
    if (list.isMissingNode() || list.isNull()) return out;
    if (!list.isArray()) throw RpcException.invalidParams(where + " must be an array");
    for (JsonNode p : list) {
      if (!p.path("name").isTextual() || !p.path("value").isTextual())
        throw RpcException.invalidParams(where + " entries need string name and value");
      out.put(p.get("name").asText(), p.get("value").asText());
    }
    return out;
  }
}

package goose.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.extension.ExtensionConfig.Launch;
import goose.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and writes {@link ExtensionConfig} in goose's config.yaml shape. Every problem is an {@link
 * ExtensionException.Invalid} naming the field, so an API client or a person editing the file knows
 * exactly what to fix.
 */
public final class ExtensionConfigs {
  /** Names become tool prefixes ({@code name__tool}); providers accept [A-Za-z0-9_-] only. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,47}");

  private static final long MAX_TIMEOUT_SECONDS = 86_400;
  private static final java.util.Set<String> RESTRICTED_HEADERS =
      java.util.Set.of(
          "connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

  private ExtensionConfigs() {}

  /** Parses one entry that names itself ({@code name} is required). */
  public static ExtensionConfig parse(JsonNode node) {
    return parse(node, Optional.empty());
  }

  /**
   * Parses one entry read from the file: {@code key} is its key under {@code extensions:} (goose
   * keys entries by name); a body without {@code name} takes it.
   */
  public static ExtensionConfig parse(JsonNode node, String key) {
    return parse(node, Optional.of(key));
  }

  private static ExtensionConfig parse(JsonNode node, Optional<String> key) {
    if (node == null || !node.isObject())
      throw new ExtensionException.Invalid("extension", "must be an object");
    String name = optText(node, "name").or(() -> key).orElse("");
    if (name.isBlank()) throw new ExtensionException.Invalid("name", "is required");
    if (!NAME.matcher(name).matches() || name.contains("__")) {
      throw new ExtensionException.Invalid(
          "name",
          "'"
              + name
              + "' must be 1-48 letters, digits, '-' or '_' (no '__'), starting with a letter or digit");
    }
    String type =
        optText(node, "type")
            .orElseThrow(
                () ->
                    new ExtensionException.Invalid(
                        "type", "is required (stdio, streamable_http, sse or builtin)"));
    boolean enabled = optBoolean(node, "enabled", true);
    String description = optText(node, "description").orElse("");
    Duration timeout = timeout(node);
    List<String> tools = stringList(node, "available_tools");
    Launch launch =
        switch (type.toLowerCase(Locale.ROOT)) {
          case "stdio" -> stdio(node);
          case "streamable_http", "streamablehttp", "http" ->
              new Launch.StreamableHttp(uri(node), headers(node));
          case "sse" -> new Launch.Sse(uri(node), headers(node));
          // goose keeps its in-process extensions (todo, ...) as type "platform".
          case "builtin", "platform" -> new Launch.Builtin();
          default ->
              throw new ExtensionException.Invalid(
                  "type",
                  "'" + type + "' is not supported; use stdio, streamable_http, sse or builtin");
        };
    return new ExtensionConfig(name, description, enabled, timeout, tools, launch);
  }

  /** The entry as written to config.yaml (goose field names). */
  public static ObjectNode toNode(ExtensionConfig c) {
    ObjectNode n = Json.object();
    n.put("name", c.name());
    n.put("type", c.type());
    n.put("enabled", c.enabled());
    if (!c.description().isEmpty()) n.put("description", c.description());
    switch (c.launch()) {
      case Launch.Stdio s -> {
        n.put("cmd", s.cmd());
        ArrayNode args = n.putArray("args");
        s.args().forEach(args::add);
        if (!s.envs().isEmpty())
          n.set("envs", Json.MAPPER.valueToTree(new LinkedHashMap<>(s.envs())));
        if (!s.envKeys().isEmpty()) s.envKeys().forEach(n.putArray("env_keys")::add);
      }
      case Launch.StreamableHttp h -> {
        n.put("uri", h.uri().toString());
        if (!h.headers().isEmpty())
          n.set("headers", Json.MAPPER.valueToTree(new LinkedHashMap<>(h.headers())));
      }
      case Launch.Sse h -> {
        n.put("uri", h.uri().toString());
        if (!h.headers().isEmpty())
          n.set("headers", Json.MAPPER.valueToTree(new LinkedHashMap<>(h.headers())));
      }
      case Launch.Builtin b -> {}
    }
    long seconds = c.timeout().toSeconds();
    n.put("timeout", seconds);
    if (!c.availableTools().isEmpty())
      c.availableTools().forEach(n.putArray("available_tools")::add);
    return n;
  }

  /**
   * The entry as an API response may show it: like {@link #toNode} but with header values masked,
   * since they often carry credentials ({@code Authorization}). Environment values are shown:
   * secrets belong in {@code env_keys}, whose values never appear.
   */
  public static ObjectNode toPublicNode(ExtensionConfig c) {
    ObjectNode n = toNode(c);
    JsonNode headers = n.get("headers");
    if (headers instanceof ObjectNode h) {
      h.fieldNames()
          .forEachRemaining(k -> h.put(k, goose.config.ConfigValue.mask(h.get(k).asText())));
    }
    return n;
  }

  private static Launch.Stdio stdio(JsonNode node) {
    String cmd =
        optText(node, "cmd")
            .orElseThrow(
                () -> new ExtensionException.Invalid("cmd", "is required for a stdio extension"));
    ProgramNames.check(cmd);
    List<String> args = stringList(node, "args");
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).indexOf('\0') >= 0)
        throw new ExtensionException.Invalid("args[" + i + "]", "must not contain NUL");
    }
    Map<String, String> envs = stringMap(node, "envs");
    envs.forEach(
        (k, v) -> {
          EnvNames.check("envs." + k, k);
          if (v.indexOf('\0') >= 0)
            throw new ExtensionException.Invalid("envs." + k, "must not contain NUL");
        });
    List<String> envKeys = stringList(node, "env_keys");
    envKeys.forEach(k -> EnvNames.check("env_keys", k));
    return new Launch.Stdio(cmd, args, envs, envKeys);
  }

  private static URI uri(JsonNode node) {
    String text =
        optText(node, "uri")
            .orElseThrow(
                () -> new ExtensionException.Invalid("uri", "is required for a remote extension"));
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new ExtensionException.Invalid(
            "uri", "must be an http or https URL, got '" + text + "'");
      }
      if (uri.getHost() == null)
        throw new ExtensionException.Invalid("uri", "has no host: '" + text + "'");
      return uri;
    } catch (URISyntaxException e) {
      throw new ExtensionException.Invalid("uri", "is not a valid URL: " + e.getReason());
    }
  }

  private static Map<String, String> headers(JsonNode node) {
    Map<String, String> headers = stringMap(node, "headers");
    headers.forEach(
        (k, v) -> {
          if (!k.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"))
            throw new ExtensionException.Invalid("headers." + k, "is not a valid header name");
          if (RESTRICTED_HEADERS.contains(k.toLowerCase(Locale.ROOT)))
            throw new ExtensionException.Invalid(
                "headers." + k, "is set by the HTTP client and cannot be configured");
          if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0)
            throw new ExtensionException.Invalid("headers." + k, "must not contain line breaks");
        });
    return headers;
  }

  private static Duration timeout(JsonNode node) {
    JsonNode t = node.get("timeout");
    if (t == null || t.isNull()) return ExtensionConfig.DEFAULT_TIMEOUT;
    if (!t.isNumber() || t.asDouble() <= 0 || t.asDouble() > MAX_TIMEOUT_SECONDS) {
      throw new ExtensionException.Invalid(
          "timeout", "must be a number of seconds between 1 and " + MAX_TIMEOUT_SECONDS);
    }
    return Duration.ofMillis(Math.max(1, (long) (t.asDouble() * 1000)));
  }

  private static java.util.Optional<String> optText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return java.util.Optional.empty();
    if (!v.isTextual()) throw new ExtensionException.Invalid(field, "must be a string");
    return java.util.Optional.of(v.asText());
  }

  private static boolean optBoolean(JsonNode node, String field, boolean fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return fallback;
    if (!v.isBoolean()) throw new ExtensionException.Invalid(field, "must be true or false");
    return v.asBoolean();
  }

  private static List<String> stringList(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return List.of();
    if (!v.isArray()) throw new ExtensionException.Invalid(field, "must be a list of strings");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual())
        throw new ExtensionException.Invalid(field + "[" + i + "]", "must be a string");
      out.add(v.get(i).asText());
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return Map.of();
    if (!v.isObject())
      throw new ExtensionException.Invalid(field, "must be a mapping of names to strings");
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isTextual())
        throw new ExtensionException.Invalid(field + "." + e.getKey(), "must be a string");
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}

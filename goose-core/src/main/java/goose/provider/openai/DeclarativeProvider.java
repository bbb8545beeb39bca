package goose.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import goose.config.ConfigException;
import goose.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OpenAI-compatible provider described by a file, so adding one needs no code. The format
 * follows goose's declarative providers:
 *
 * <pre>{@code
 * {"name": "groq", "engine": "openai", "display_name": "Groq",
 *  "base_url": "https://api.groq.com/openai/v1/chat/completions",
 *  "api_key_env": "GROQ_API_KEY",
 *  "models": [{"name": "llama-3.3-70b-versatile", "context_limit": 131072}],
 *  "headers": {"X-Extra": "value"}, "stream_usage": true, "prompt_cache_key": false}
 * }</pre>
 *
 * {@code base_url} is either the full chat/completions URL or the API base it is appended to. No
 * {@code api_key_env} means no key (local servers). The first model is the default. {@code
 * prompt_cache_key} (default false) sends the session id as OpenAI's {@code prompt_cache_key}, for
 * servers that take it.
 */
public record DeclarativeProvider(
    String name,
    String displayName,
    String baseUrl,
    Optional<String> apiKeyEnv,
    List<Model> models,
    Map<String, String> headers,
    boolean streamUsage,
    boolean promptCacheKey) {

  public record Model(String name, int contextLimit) {}

  public DeclarativeProvider {
    models = List.copyOf(models);
    headers = Map.copyOf(headers);
  }

  /** Parses a provider file; {@code origin} names it in error messages. */
  public static DeclarativeProvider parse(String json, String origin) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(origin + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject())
      throw new ConfigException(origin + ": expected a JSON object");
    String name = required(root, "name", origin);
    String engine = root.path("engine").asText("openai");
    if (!engine.equals("openai")) {
      throw new ConfigException(
          origin + ": engine \"" + engine + "\" is not supported (only \"openai\")");
    }
    String baseUrl = required(root, "base_url", origin);
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new ConfigException(
          origin + ": base_url must start with http:// or https://, got \"" + baseUrl + "\"");
    }
    List<Model> models = new ArrayList<>();
    for (JsonNode m : root.path("models")) {
      String model = m.isTextual() ? m.asText() : m.path("name").asText("");
      if (model.isEmpty())
        throw new ConfigException(origin + ": every entry of models needs a name");
      models.add(new Model(model, m.path("context_limit").asInt(0)));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    root.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
    String keyEnv = root.path("api_key_env").asText("");
    return new DeclarativeProvider(
        name,
        root.path("display_name").asText(name),
        baseUrl,
        keyEnv.isBlank() ? Optional.empty() : Optional.of(keyEnv),
        models,
        headers,
        root.path("stream_usage").asBoolean(true),
        root.path("prompt_cache_key").asBoolean(false));
  }

  /** The chat/completions URL. */
  public java.net.URI completionsUrl() {
    String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return java.net.URI.create(
        trimmed.endsWith("/chat/completions") ? trimmed : trimmed + "/chat/completions");
  }

  public Optional<Integer> contextLimitOf(String model) {
    return models.stream()
        .filter(m -> m.name().equals(model) && m.contextLimit() > 0)
        .map(Model::contextLimit)
        .findFirst();
  }

  private static String required(JsonNode root, String field, String origin) {
    String v = root.path(field).asText("");
    if (v.isBlank()) throw new ConfigException(origin + ": missing \"" + field + "\"");
    return v;
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import goose.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a real response against the OpenAPI document the code produces: the operation must exist
 * (or the response is the API's JSON error), its status must be documented, and a JSON body must
 * validate against the documented schema (JSON Schema 2020-12, with the document's components for
 * $refs).
 */
final class SpecCheck {
  static final ObjectNode SPEC = (ObjectNode) Json.parse(GooseServer.openApiJson());
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

  private SpecCheck() {}

  static void check(String method, String path, ApiClient.Response response) {
    Optional<JsonNode> operation = operation(method, path);
    JsonNode schemaNode;
    String key;
    if (operation.isEmpty()) {
      assertThat(response.status())
          .as("%s %s is not in the spec, so it must be a 404 or 405", method, path)
          .isIn(404, 405);
      schemaNode = Json.object().put("$ref", "#/components/schemas/ApiError");
      key = "ApiError";
    } else {
      JsonNode responses = operation.get().path("responses");
      String status = String.valueOf(response.status());
      if (response.status() < 500) {
        assertThat(responses.has(status))
            .as("%s %s answered %s, which its operation does not document", method, path, status)
            .isTrue();
      }
      JsonNode documented =
          responses.has(status) ? responses.get(status) : responses.get("default");
      if (!documented.has("content")) {
        assertThat(response.body())
            .as("%s %s %s documents no body", method, path, status)
            .isEmpty();
        return;
      }
      String contentType =
          Optional.ofNullable(response.header("Content-Type"))
              .orElse("")
              .split(";", -1)[0]
              .trim()
              .toLowerCase(Locale.ROOT);
      assertThat(
              documented.path("content").has(contentType)
                  || documented.path("content").has("application/octet-stream"))
          .as(
              "%s %s %s answered %s, not a documented media type",
              method, path, status, contentType)
          .isTrue();
      if (!contentType.equals("application/json")) return;
      schemaNode = documented.path("content").path("application/json").path("schema");
      key = method + " " + path + " " + status;
    }
    Schema schema = CACHE.computeIfAbsent(schemaNode.toString(), k -> compile(schemaNode));
    List<com.networknt.schema.Error> errors = schema.validate(Json.parse(response.body()));
    assertThat(errors)
        .as("%s: response %s does not match the spec", key, response.body())
        .isEmpty();
  }

  /**
   * Checks one Server-Sent Event: its data must match exactly one variant of the document's
   * TurnEvent union (JSON Schema {@code oneOf}: a payload matching two variants fails), and its
   * {@code event} discriminator must be the SSE event name.
   */
  static void checkEvent(String name, JsonNode data) {
    JsonNode turnEvent = Json.object().put("$ref", "#/components/schemas/TurnEvent");
    Schema schema = CACHE.computeIfAbsent(turnEvent.toString(), k -> compile(turnEvent));
    assertThat(schema.validate(data))
        .as("SSE event %s: data %s does not match the spec's TurnEvent", name, data)
        .isEmpty();
    assertThat(data.path("event").asText()).as("the event property of %s", data).isEqualTo(name);
  }

  private static Schema compile(JsonNode schemaNode) {
    ObjectNode root = ((ObjectNode) schemaNode).deepCopy();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.set("components", SPEC.get("components"));
    return REGISTRY.getSchema(root);
  }

  /** The spec's operation for a concrete path ("/sessions/0190...") and method, if documented. */
  static Optional<JsonNode> operation(String method, String path) {
    for (Map.Entry<String, JsonNode> entry : SPEC.get("paths").properties()) {
      String regex = entry.getKey().replaceAll("\\{[^/]+}", "[^/]+");
      if (path.matches(regex) && entry.getValue().has(method.toLowerCase(Locale.ROOT))) {
        return Optional.of(entry.getValue().get(method.toLowerCase(Locale.ROOT)));
      }
    }
    return Optional.empty();
  }
}

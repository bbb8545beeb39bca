package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document: committed copy up to date, every route documented, and the checker itself
 * honest.
 */
class OpenApiTest {
  static final Path COMMITTED = Path.of("..", "openapi.json");
  static final String REGENERATE =
      "mvn -B -q -o -pl goose-server -am test -Dtest=OpenApiTest -Dsurefire.failIfNoSpecifiedTests=false -Dgoose.openapi.write=true";

  @Test
  void committedDocumentEqualsWhatTheCodeProduces() throws IOException {
    String generated = GooseServer.openApiJson();
    if (Boolean.getBoolean("goose.openapi.write")) Files.writeString(COMMITTED, generated);
    assertThat(Files.exists(COMMITTED))
        .as("openapi.json is missing at the repository root; create it with: " + REGENERATE)
        .isTrue();
    assertThat(Files.readString(COMMITTED))
        .as("openapi.json at the repository root is out of date; regenerate it with: " + REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void everyRouteJavalinServesHasADocumentedOperation(@TempDir Path root) {
    try (TestServer server = TestServer.start(root)) {
      List<String> routes = server.server.javalinRoutes();
      List<String> documented = new ArrayList<>();
      SpecCheck.SPEC
          .get("paths")
          .properties()
          .forEach(
              path ->
                  path.getValue()
                      .fieldNames()
                      .forEachRemaining(
                          method -> {
                            documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                            // every GET also answers HEAD, as the same operation (ApiRouter)
                            if (method.equals("get")) documented.add("HEAD " + path.getKey());
                          }));
      assertThat(routes).isNotEmpty().containsExactlyInAnyOrderElementsOf(documented);
    }
  }

  @Test
  void everyOperationHasAnIdASummaryAndResponses() {
    SpecCheck.SPEC
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          JsonNode operation = op.getValue();
                          assertThat(operation.path("operationId").asText())
                              .as(path.getKey())
                              .isNotBlank();
                          assertThat(operation.path("summary").asText())
                              .as(path.getKey())
                              .isNotBlank();
                          assertThat(operation.path("responses").has("default"))
                              .as(path.getKey())
                              .isTrue();
                        }));
  }

  @Test
  void schemasFollowTheWireFormat() {
    JsonNode schemas = SpecCheck.SPEC.path("components").path("schemas");
    JsonNode content = schemas.path("Content");
    assertThat(content.path("discriminator").path("propertyName").asText()).isEqualTo("type");
    assertThat(content.path("discriminator").path("mapping").path("tool_request").asText())
        .isEqualTo("#/components/schemas/ContentToolRequest");
    assertThat(content.path("oneOf")).hasSize(6);
    assertThat(schemas.path("ContentText").path("properties").path("type").path("const").asText())
        .isEqualTo("text");
    assertThat(schemas.path("ContentToolResponse").path("properties").has("is_error")).isTrue();
    JsonNode create = schemas.path("CreateSessionRequest");
    assertThat(create.path("required")).extracting(JsonNode::asText).containsExactly("cwd");
    assertThat(schemas.path("SessionList").path("required"))
        .extracting(JsonNode::asText)
        .containsExactly("sessions");
    assertThat(schemas.path("MessageView").path("properties").path("role").path("enum"))
        .extracting(JsonNode::asText)
        .containsExactly("user", "assistant");
    assertThat(schemas.path("ApiErrorDetail").path("properties").path("code").path("enum"))
        .extracting(JsonNode::asText)
        .contains("not_found", "internal");
    assertThat(
            schemas
                .path("SessionView")
                .path("properties")
                .path("created_at")
                .path("format")
                .asText())
        .isEqualTo("date-time");
  }

  /** Issue 13: what generated clients need from the document. */
  @Test
  void everyConstStatesItsType() {
    List<String> untyped = new ArrayList<>();
    SpecCheck.SPEC
        .findParents("const")
        .forEach(
            schema -> {
              if (!schema.path("type").asText().equals("string")) untyped.add(schema.toString());
            });
    assertThat(SpecCheck.SPEC.findParents("const")).hasSizeGreaterThan(10);
    assertThat(untyped).isEmpty();
  }

  @Test
  void turnEventsAreADiscriminatedUnionWhoseVariantsExcludeEachOther() {
    JsonNode schemas = SpecCheck.SPEC.path("components").path("schemas");
    JsonNode union = schemas.path("TurnEvent");
    assertThat(union.path("discriminator").path("propertyName").asText()).isEqualTo("event");
    JsonNode mapping = union.path("discriminator").path("mapping");
    assertThat(mapping.fieldNames())
        .toIterable()
        .containsExactlyElementsOf(goose.event.EventCodec.eventNames());
    assertThat(union.path("oneOf")).hasSize(mapping.size());
    List<String> constants = new ArrayList<>();
    mapping
        .properties()
        .forEach(
            entry -> {
              JsonNode variant =
                  schemas.path(entry.getValue().asText().replace("#/components/schemas/", ""));
              assertThat(variant.path("required")).extracting(JsonNode::asText).contains("event");
              assertThat(variant.path("properties").path("event").path("const").asText())
                  .isEqualTo(entry.getKey());
              constants.add(entry.getKey());
            });
    assertThat(constants).doesNotHaveDuplicates().contains("turn_error").doesNotContain("error");
    // The payload issue 13 found matching two variants now matches one.
    SpecCheck.checkEvent(
        "tool_call",
        goose.json.Json.parse(
            "{\"event\":\"tool_call\",\"id\":\"c\",\"tool\":\"t\",\"arguments\":{},\"status\":\"running\"}"));
    assertThatThrownBy(
            () ->
                SpecCheck.checkEvent(
                    "tool_call",
                    goose.json.Json.parse(
                        "{\"id\":\"c\",\"tool\":\"t\",\"arguments\":{},\"status\":\"running\"}")))
        .hasMessageContaining("does not match the spec's TurnEvent");
  }

  @Test
  void sendMessageDeclaresTheStreamAndThe202WithoutAJsonSchemaForTheStream() {
    JsonNode responses = SpecCheck.SPEC.at("/paths/~1sessions~1{id}~1messages/post/responses");
    JsonNode stream = responses.path("200").path("content");
    assertThat(stream.fieldNames()).toIterable().containsExactly("text/event-stream");
    assertThat(stream.path("text/event-stream").has("schema")).isFalse();
    assertThat(stream.path("text/event-stream").path("x-sse-data-schema").path("$ref").asText())
        .isEqualTo("#/components/schemas/TurnEvent");
    assertThat(responses.path("202").path("content").path("application/json").path("schema"))
        .hasToString("{\"$ref\":\"#/components/schemas/TurnAccepted\"}");
  }

  @Test
  void parameterDefaultsAreValidAndTheDocumentNamesAServerAndItsTags() {
    SpecCheck.SPEC
        .findParents("default")
        .forEach(
            schema -> {
              if (!schema.has("minimum")) return;
              assertThat(schema.path("default").asLong())
                  .as(schema.toString())
                  .isBetween(schema.path("minimum").asLong(), schema.path("maximum").asLong());
            });
    assertThat(SpecCheck.SPEC.path("servers").path(0).path("url").asText())
        .startsWith("http://127.0.0.1:");
    List<String> declared = SpecCheck.SPEC.path("tags").findValuesAsText("name");
    SpecCheck.SPEC
        .path("paths")
        .forEach(
            item ->
                item.forEach(
                    op ->
                        assertThat(declared)
                            .as(op.path("operationId").asText())
                            .contains(op.path("tags").path(0).asText())));
  }

  @Test
  void theResponseCheckRejectsWhatTheSpecDoesNotAllow() {
    String session =
        "{\"id\":\"x\",\"name\":\"n\",\"working_dir\":\"/\",\"created_at\":\"2026-01-01T00:00:00Z\","
            + "\"updated_at\":\"2026-01-01T00:00:00Z\",\"message_count\":0,"
            + "\"last_usage\":{\"input_tokens\":0,\"output_tokens\":0,\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0},"
            + "\"total_usage\":{\"input_tokens\":0,\"output_tokens\":0,\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0},"
            + "\"name_source\":\"user\",\"mode\":\"auto\"}";
    Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));
    SpecCheck.check("POST", "/sessions", new ApiClient.Response(201, json, session));
    assertThatThrownBy(
            () ->
                SpecCheck.check(
                    "POST",
                    "/sessions",
                    new ApiClient.Response(
                        201,
                        json,
                        session.replace("\"message_count\":0", "\"message_count\":\"0\""))))
        .hasMessageContaining("does not match the spec");
    assertThatThrownBy(
            () ->
                SpecCheck.check(
                    "POST", "/sessions", new ApiClient.Response(201, json, "{\"name\":\"n\"}")))
        .hasMessageContaining("does not match the spec");
    assertThatThrownBy(
            () -> SpecCheck.check("POST", "/sessions", new ApiClient.Response(418, json, "{}")))
        .hasMessageContaining("does not document");
    assertThatThrownBy(
            () -> SpecCheck.check("GET", "/nope", new ApiClient.Response(200, json, "{}")))
        .hasMessageContaining("not in the spec");
    assertThatThrownBy(
            () ->
                SpecCheck.check(
                    "GET",
                    "/sessions/abc",
                    new ApiClient.Response(
                        404, json, "{\"error\":{\"code\":\"nope\",\"message\":\"m\"}}")))
        .hasMessageContaining("does not match the spec");
  }
}

package goose.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.event.TurnEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {
  record Inner(int count) {}

  @SuppressWarnings("ArrayRecordComponent") // an array component is what the schema must handle
  record Outer(List<Inner> items, Map<String, Long> totals, Optional<String> note, String[] tags) {}

  @Test
  void containersOptionalsAndNestedRecords() {
    JsonSchemas schemas = new JsonSchemas();
    assertThat(schemas.schemaFor(Outer.class).path("$ref").asText())
        .isEqualTo("#/components/schemas/JsonSchemasTestOuter");
    JsonNode outer = schemas.components().path("JsonSchemasTestOuter");
    assertThat(outer.path("properties").path("items").path("items").path("$ref").asText())
        .isEqualTo("#/components/schemas/JsonSchemasTestInner");
    assertThat(
            outer
                .path("properties")
                .path("totals")
                .path("additionalProperties")
                .path("format")
                .asText())
        .isEqualTo("int64");
    assertThat(outer.path("properties").path("note").path("type").asText()).isEqualTo("string");
    assertThat(outer.path("properties").path("tags").path("type").asText()).isEqualTo("array");
    assertThat(outer.path("required"))
        .extracting(JsonNode::asText)
        .containsExactly("items", "totals", "tags");
  }

  sealed interface Shape permits Circle, Square {}

  record Circle(double radius) implements Shape {}

  record Square(double side) implements Shape {}

  @Test
  void aSealedFamilyWithoutTypeInfoIsAPlainOneOf() {
    JsonSchemas schemas = new JsonSchemas();
    schemas.schemaFor(Shape.class);
    ObjectNode components = schemas.components();
    assertThat(components.path("JsonSchemasTestShape").path("oneOf")).hasSize(2);
    assertThat(components.path("JsonSchemasTestShape").has("discriminator")).isFalse();
    assertThat(components.path("JsonSchemasTestCircle").path("required"))
        .extracting(JsonNode::asText)
        .containsExactly("radius");
  }

  @Test
  void aTypeInfoFamilyGetsADiscriminatorAndATypedConstPerVariant() {
    JsonSchemas schemas = new JsonSchemas();
    schemas.schemaFor(TurnEvent.class);
    ObjectNode components = schemas.components();
    JsonNode union = components.path("TurnEvent");
    assertThat(union.path("oneOf")).hasSize(TurnEvent.class.getPermittedSubclasses().length);
    assertThat(union.path("discriminator").path("propertyName").asText()).isEqualTo("event");
    assertThat(union.path("discriminator").path("mapping").path("turn_error").asText())
        .isEqualTo("#/components/schemas/TurnEventError");
    JsonNode chunk = components.path("TurnEventMessageChunk");
    assertThat(chunk.path("required"))
        .extracting(JsonNode::asText)
        .containsExactly("event", "type", "text", "message_id");
    assertThat(chunk.path("properties").path("event"))
        .hasToString("{\"type\":\"string\",\"const\":\"message_chunk\"}");
    assertThat(chunk.path("properties").path("type").path("type").asText()).isEqualTo("string");
    assertThat(
            components
                .path("TurnEventMessageComplete")
                .path("properties")
                .path("usage")
                .path("$ref")
                .asText())
        .isEqualTo("#/components/schemas/TokenUsage");
    assertThat(components.path("TurnEventToolCall").path("properties").path("arguments"))
        .hasToString("{\"type\":\"object\",\"additionalProperties\":true}");
  }

  static final class Holder {
    record Inner(String a) {}
  }

  @Test
  void twoTypesWithTheSameSchemaNameAreRefused() {
    JsonSchemas schemas = new JsonSchemas();
    schemas.schemaFor(Holder.Inner.class);
    assertThat(JsonSchemas.nameOf(Holder.Inner.class)).isEqualTo("JsonSchemasTestHolderInner");
    assertThatThrownBy(() -> schemas.schemaFor(JsonSchemasTestHolderInner.class))
        .hasMessageContaining("share the schema name");
  }
}

/**
 * A top-level type whose simple name equals the schema name of {@code
 * JsonSchemasTest.Holder.Inner}.
 */
record JsonSchemasTestHolderInner(String c) {}

package goose.server.openapi;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import goose.server.http.Doc;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses them) generated from the wire records. It asks
 * Jackson, configured as {@link Json#MAPPER}, for each record's properties, so the schema names and
 * types are exactly what goes over the wire (snake_case, {@code Optional} = not required, enums by
 * their wire value). Sealed interfaces become {@code oneOf}; with {@code @JsonTypeInfo} also a
 * discriminator and a required {@code const} string property per variant ({@code type} of a content
 * part, {@code event} of a turn event), so no payload matches two variants. A
 * {@code @JsonUnwrapped} record's properties are inlined, as Jackson writes them.
 *
 * <p>Hand-written on purpose: the usual generators (victools, swagger-core) either emit their own
 * dialect or need annotations everywhere; this is ~200 lines and follows Jackson exactly.
 */
public final class JsonSchemas {
  private static final String REF_PREFIX = "#/components/schemas/";

  private final Map<String, ObjectNode> components = new TreeMap<>();
  private final Map<String, Class<?>> owners = new HashMap<>();

  /**
   * The schema for a type: inline for scalars and containers, a {@code $ref} for records and
   * unions.
   */
  public ObjectNode schemaFor(Type type) {
    return schema(Json.MAPPER.getTypeFactory().constructType(type));
  }

  /** Every named schema produced so far, sorted by name. */
  public ObjectNode components() {
    ObjectNode node = Json.object();
    components.forEach(node::set);
    return node;
  }

  private ObjectNode schema(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (type.isReferenceType()) return schema(type.getContentType());
    if (raw == String.class || raw == Path.class || CharSequence.class.isAssignableFrom(raw))
      return typed("string");
    if (raw == URI.class) return typed("string").put("format", "uri");
    if (raw == UUID.class) return typed("string").put("format", "uuid");
    if (raw == Instant.class || raw == OffsetDateTime.class)
      return typed("string").put("format", "date-time");
    if (raw == boolean.class || raw == Boolean.class) return typed("boolean");
    if (raw == int.class || raw == Integer.class || raw == short.class || raw == Short.class)
      return typed("integer").put("format", "int32");
    if (raw == long.class || raw == Long.class) return typed("integer").put("format", "int64");
    if (raw == double.class
        || raw == Double.class
        || raw == float.class
        || raw == Float.class
        || Number.class.isAssignableFrom(raw)) return typed("number");
    // Any JSON object: additionalProperties spelled out, or TypeScript generators type its values
    // as never.
    if (raw == com.fasterxml.jackson.databind.node.ObjectNode.class)
      return typed("object").put("additionalProperties", true);
    if (raw == com.fasterxml.jackson.databind.node.ArrayNode.class) return typed("array");
    if (JsonNode.class.isAssignableFrom(raw) || raw == Object.class) return Json.object();
    if (raw.isEnum()) return enumSchema(raw);
    if (type.isArrayType() || type.isCollectionLikeType()) {
      ObjectNode array = typed("array");
      array.set("items", schema(type.getContentType()));
      return array;
    }
    if (type.isMapLikeType()) {
      ObjectNode map = typed("object");
      map.set("additionalProperties", schema(type.getContentType()));
      return map;
    }
    return ref(raw);
  }

  private ObjectNode ref(Class<?> raw) {
    String name = nameOf(raw);
    Class<?> owner = owners.putIfAbsent(name, raw);
    if (owner != null && owner != raw) {
      throw new IllegalStateException(
          "two wire types would share the schema name " + name + ": " + owner + ", " + raw);
    }
    if (owner == null) {
      components.put(name, Json.object()); // placeholder: breaks cycles
      components.put(name, raw.isSealed() ? union(raw) : record(raw, typeIdOf(raw)));
    }
    return Json.object().put("$ref", REF_PREFIX + name);
  }

  private ObjectNode record(Class<?> raw, Optional<TypeId> typeId) {
    JavaType type = Json.MAPPER.getTypeFactory().constructType(raw);
    List<BeanPropertyDefinition> props =
        Json.MAPPER.getSerializationConfig().introspect(type).findProperties();
    ObjectNode schema = typed("object");
    Doc typeDoc = raw.getAnnotation(Doc.class);
    if (typeDoc != null) schema.put("description", typeDoc.value());
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = Json.MAPPER.createArrayNode();
    typeId.ifPresent(
        id -> {
          properties.set(id.property(), typed("string").put("const", id.value()));
          required.add(id.property());
        });
    for (BeanPropertyDefinition prop : props) {
      JavaType propType = prop.getPrimaryType();
      if (unwrapped(prop)) {
        // @JsonUnwrapped: the inner record's properties stand in this object, as Jackson writes
        // them
        ObjectNode inner = record(propType.getRawClass(), Optional.empty());
        inner
            .path("properties")
            .properties()
            .forEach(e -> properties.set(e.getKey(), e.getValue()));
        inner.path("required").forEach(required::add);
        continue;
      }
      ObjectNode propSchema = schema(propType);
      // A description beside a $ref is valid in JSON Schema 2020-12: it documents this use of the
      // type.
      componentDoc(raw, prop.getInternalName()).ifPresent(d -> propSchema.put("description", d));
      properties.set(prop.getName(), propSchema);
      if (!propType.isReferenceType()) required.add(prop.getName());
    }
    if (!required.isEmpty()) schema.set("required", required);
    return schema;
  }

  private ObjectNode union(Class<?> sealed) {
    ObjectNode schema = Json.object();
    ArrayNode oneOf = schema.putArray("oneOf");
    JsonTypeInfo info = sealed.getAnnotation(JsonTypeInfo.class);
    JsonSubTypes subTypes = sealed.getAnnotation(JsonSubTypes.class);
    if (info != null && subTypes != null && info.use() == JsonTypeInfo.Id.NAME) {
      ObjectNode discriminator =
          schema.putObject("discriminator").put("propertyName", info.property());
      ObjectNode mapping = discriminator.putObject("mapping");
      for (JsonSubTypes.Type sub : subTypes.value()) {
        ObjectNode ref = ref(sub.value());
        oneOf.add(ref);
        mapping.put(sub.name(), ref.get("$ref").asText());
      }
    } else {
      for (Class<?> sub : sealed.getPermittedSubclasses()) oneOf.add(ref(sub));
    }
    return schema;
  }

  private static boolean unwrapped(BeanPropertyDefinition prop) {
    JsonUnwrapped u =
        prop.getPrimaryMember() == null
            ? null
            : prop.getPrimaryMember().getAnnotation(JsonUnwrapped.class);
    return u != null && u.enabled();
  }

  private static Optional<String> componentDoc(Class<?> raw, String componentName) {
    if (!raw.isRecord()) return Optional.empty();
    for (java.lang.reflect.RecordComponent c : raw.getRecordComponents()) {
      if (c.getName().equals(componentName) && c.getAnnotation(Doc.class) != null) {
        return Optional.of(c.getAnnotation(Doc.class).value());
      }
    }
    return Optional.empty();
  }

  /** The discriminator of a union variant: its property ("type", "event") and its value. */
  private record TypeId(String property, String value) {}

  /** The type id of a variant of a {@code @JsonTypeInfo} union; empty when it is none. */
  private static Optional<TypeId> typeIdOf(Class<?> raw) {
    for (Class<?> parent : raw.getInterfaces()) {
      JsonSubTypes subTypes = parent.getAnnotation(JsonSubTypes.class);
      JsonTypeInfo info = parent.getAnnotation(JsonTypeInfo.class);
      if (subTypes == null || info == null || info.use() != JsonTypeInfo.Id.NAME) continue;
      for (JsonSubTypes.Type sub : subTypes.value()) {
        if (sub.value() == raw) return Optional.of(new TypeId(info.property(), sub.name()));
      }
    }
    return Optional.empty();
  }

  private static ObjectNode enumSchema(Class<?> raw) {
    ObjectNode schema = typed("string");
    ArrayNode values = schema.putArray("enum");
    for (Object constant : raw.getEnumConstants())
      values.add(Json.MAPPER.valueToTree(constant).asText());
    return schema;
  }

  /**
   * {@code Content.Text} becomes {@code ContentText}: nested wire types keep their family in the
   * name.
   */
  static String nameOf(Class<?> raw) {
    StringBuilder sb = new StringBuilder(raw.getSimpleName());
    for (Class<?> outer = raw.getEnclosingClass();
        outer != null;
        outer = outer.getEnclosingClass()) {
      sb.insert(0, outer.getSimpleName());
    }
    return sb.toString();
  }

  private static ObjectNode typed(String type) {
    return Json.object().put("type", type);
  }
}

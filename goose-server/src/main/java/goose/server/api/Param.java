package goose.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import goose.server.http.ApiException;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Function;

/**
 * A path or query parameter, declared once: the same object documents it in OpenAPI (name, schema,
 * bounds, default) and reads it from a request, answering 400 naming the parameter when the value
 * is not what the schema says.
 */
public final class Param<T> {
  public enum In {
    PATH,
    QUERY,
    HEADER;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String name;
  private final In in;
  private final String description;
  private final boolean required;
  private final ObjectNode schema;
  private final Function<Optional<String>, T> parser;

  private Param(
      String name,
      In in,
      String description,
      boolean required,
      ObjectNode schema,
      Function<Optional<String>, T> parser) {
    this.name = name;
    this.in = in;
    this.description = description;
    this.required = required;
    this.schema = schema;
    this.parser = parser;
  }

  /** A path segment, as sent; what a malformed value means (usually 404) is up to the route. */
  public static Param<String> path(String name, String description) {
    return new Param<>(
        name,
        In.PATH,
        description,
        true,
        Json.object().put("type", "string"),
        raw -> raw.orElse(""));
  }

  /** An optional integer query parameter within [min, max], {@code fallback} when absent. */
  public static Param<Integer> queryInt(
      String name, String description, int min, int max, int fallback) {
    ObjectNode schema =
        Json.object()
            .put("type", "integer")
            .put("minimum", min)
            .put("maximum", max)
            .put("default", fallback);
    Function<Optional<String>, Integer> parser =
        raw -> {
          if (raw.isEmpty() || raw.get().isEmpty()) return fallback;
          int value;
          try {
            value = Integer.parseInt(raw.get().trim());
          } catch (NumberFormatException e) {
            throw ApiException.badParameter(
                name, "must be a whole number between " + min + " and " + max);
          }
          if (value < min || value > max) {
            throw ApiException.badParameter(
                name, "must be between " + min + " and " + max + ", got " + value);
          }
          return value;
        };
    return new Param<>(name, In.QUERY, description, false, schema, parser);
  }

  /**
   * An optional text query parameter of at most {@code maxLength} characters; empty when absent or
   * blank.
   */
  public static Param<Optional<String>> queryText(String name, String description, int maxLength) {
    ObjectNode schema = Json.object().put("type", "string").put("maxLength", maxLength);
    Function<Optional<String>, Optional<String>> parser =
        raw -> {
          if (raw.isEmpty() || raw.get().isBlank()) return Optional.empty();
          if (raw.get().length() > maxLength) {
            throw ApiException.badParameter(name, "is longer than " + maxLength + " characters");
          }
          if (raw.get().chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badParameter(name, "contains control characters");
          }
          return Optional.of(raw.get());
        };
    return new Param<>(name, In.QUERY, description, false, schema, parser);
  }

  /**
   * An optional header of at most {@code maxLength} printable characters; empty when absent or
   * blank.
   */
  public static Param<Optional<String>> header(String name, String description, int maxLength) {
    ObjectNode schema = Json.object().put("type", "string").put("maxLength", maxLength);
    Function<Optional<String>, Optional<String>> parser =
        raw -> {
          if (raw.isEmpty() || raw.get().isBlank()) return Optional.empty();
          if (raw.get().length() > maxLength || raw.get().chars().anyMatch(Character::isISOControl))
            throw ApiException.badHeader(
                name, "must be at most " + maxLength + " printable characters");
          return Optional.of(raw.get().strip());
        };
    return new Param<>(name, In.HEADER, description, false, schema, parser);
  }

  /** Whether the request gives this parameter a non-empty value (else {@link #read} falls back). */
  public boolean present(Context ctx) {
    String raw = raw(ctx);
    return raw != null && !raw.isEmpty();
  }

  public T read(Context ctx) {
    return parser.apply(Optional.ofNullable(raw(ctx)));
  }

  private String raw(Context ctx) {
    return switch (in) {
      case PATH -> ctx.pathParam(name);
      case QUERY -> ctx.queryParam(name);
      case HEADER -> ctx.header(name);
    };
  }

  public String name() {
    return name;
  }

  public In in() {
    return in;
  }

  public String description() {
    return description;
  }

  public boolean required() {
    return required;
  }

  public ObjectNode schema() {
    return schema.deepCopy();
  }
}

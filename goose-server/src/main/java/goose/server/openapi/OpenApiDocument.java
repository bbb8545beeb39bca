package goose.server.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import goose.server.api.Access;
import goose.server.api.Operation;
import goose.server.api.Param;
import goose.server.http.ApiError;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document of the declared operations: one source of truth with the routes
 * themselves. Errors every route can produce are added here once: 400/413/415 for routes with a
 * JSON body, 400 for routes with query parameters, 401/429 for routes that need credentials (403
 * for admin routes), 421 on every route (a Host the server does not answer to), and a {@code
 * default} response for the unexpected 500. Public routes declare {@code security: []}.
 */
public final class OpenApiDocument {
  /**
   * Where an event stream's media type names the schema of each event's {@code data}. OpenAPI 3.1
   * has no keyword for it (3.2's {@code itemSchema} is one), and a {@code schema} there would say
   * that the whole body is one such JSON value: generated clients then parse the stream as JSON.
   * Without a {@code schema} they leave the body alone (a Java client drains it, a TypeScript
   * client reads it as a stream).
   */
  public static final String SSE_DATA_SCHEMA = "x-sse-data-schema";

  private OpenApiDocument() {}

  public static ObjectNode build(List<Operation> operations, String version) {
    JsonSchemas schemas = new JsonSchemas();
    ObjectNode doc = Json.object().put("openapi", "3.1.0");
    doc.putObject("info")
        .put("title", "goosed")
        .put("version", version)
        .put(
            "description",
            "REST API of goosed, the goose agent server for the JVM. JSON is snake_case; "
                + "every error is {\"error\": {\"code\", \"message\"}}.");
    doc.putArray("servers")
        .addObject()
        .put("url", "http://127.0.0.1:3000")
        .put(
            "description",
            "goosed on its default address (GOOSE_HOST, GOOSE_PORT); point a client at your own");
    // One of these, depending on GOOSE_AUTH (none on loopback needs nothing); public operations say
    // security: [].
    ArrayNode security = doc.putArray("security");
    for (String scheme : List.of("secretKey", "bearerToken", "proxyUser"))
      security.addObject().putArray(scheme);
    ObjectNode paths = doc.putObject("paths");
    for (Operation op : operations) {
      ObjectNode item =
          paths.has(op.path()) ? (ObjectNode) paths.get(op.path()) : paths.putObject(op.path());
      item.set(op.method().toLowerCase(Locale.ROOT), operation(op, schemas));
    }
    doc.set("tags", tags(operations));
    ObjectNode components = doc.putObject("components");
    components.set("securitySchemes", securitySchemes());
    components.set("schemas", schemas.components());
    return doc;
  }

  /** What each group of operations is for; a tag not listed here is declared without one. */
  private static final Map<String, String> TAGS =
      Map.of(
          "sessions",
          "Sessions: create, list, read, rename, delete, export and import",
          "turns",
          "Send a message and follow the agent's reply as Server-Sent Events",
          "approvals",
          "Tool calls waiting for a person's decision",
          "extensions",
          "MCP extensions and their tools",
          "audit",
          "The record of tool calls",
          "status",
          "Liveness, version, who is asking, and metrics",
          "docs",
          "This document and its browsable form",
          "ui",
          "The web UI: its page and files",
          "acp",
          "The Agent Client Protocol over Streamable HTTP and WebSocket (JSON-RPC; see docs/acp.md)");

  /** Every tag the operations use, in order of first use, each with its description. */
  private static ArrayNode tags(List<Operation> operations) {
    ArrayNode tags = Json.MAPPER.createArrayNode();
    operations.stream()
        .map(Operation::tag)
        .distinct()
        .forEach(
            tag -> {
              ObjectNode node = tags.addObject().put("name", tag);
              if (TAGS.containsKey(tag)) node.put("description", TAGS.get(tag));
            });
    return tags;
  }

  /**
   * The credentials of each auth mode (docs/auth.md); which one a server wants is its GOOSE_AUTH.
   */
  private static ObjectNode securitySchemes() {
    ObjectNode schemes = Json.object();
    schemes
        .putObject("secretKey")
        .put("type", "apiKey")
        .put("in", "header")
        .put("name", "X-Secret-Key")
        .put(
            "description",
            "GOOSE_AUTH=secret: the value of GOOSE_SERVER__SECRET_KEY (goose-compatible, one user)");
    schemes
        .putObject("bearerToken")
        .put("type", "http")
        .put("scheme", "bearer")
        .put("description", "GOOSE_AUTH=tokens: a per-user API token from 'goose users add NAME'");
    schemes
        .putObject("proxyUser")
        .put("type", "apiKey")
        .put("in", "header")
        .put("name", "X-Remote-User")
        .put(
            "description",
            "GOOSE_AUTH=proxy: set by the authenticating reverse proxy (header name: GOOSE_PROXY_USER_HEADER),"
                + " trusted only from GOOSE_TRUSTED_PROXIES");
    return schemes;
  }

  /**
   * Pretty-printed, two-space indented, with a final newline: the form committed as openapi.json.
   */
  public static String toJson(ObjectNode doc) {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return Json.MAPPER.writer(printer).writeValueAsString(doc) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode operation(Operation op, JsonSchemas schemas) {
    ObjectNode node = Json.object().put("operationId", op.operationId());
    node.putArray("tags").add(op.tag());
    node.put("summary", op.summary());
    op.description().ifPresent(d -> node.put("description", d));
    if (!op.params().isEmpty()) {
      ArrayNode params = node.putArray("parameters");
      for (Param<?> p : op.params()) {
        ObjectNode param =
            params
                .addObject()
                .put("name", p.name())
                .put("in", p.in().wire())
                .put("description", p.description())
                .put("required", p.required());
        param.set("schema", p.schema());
      }
    }
    op.requestBody()
        .ifPresent(
            type -> {
              ObjectNode body = node.putObject("requestBody").put("required", true);
              body.putObject("content")
                  .putObject(Operation.JSON)
                  .set("schema", schemas.schemaFor(type));
            });
    Map<String, ObjectNode> responses = new TreeMap<>();
    for (Operation.Response r : op.responses()) {
      ObjectNode response = Json.object().put("description", r.description());
      if (r.mediaType().isPresent() && r.body().isPresent()) {
        ObjectNode media = response.putObject("content").putObject(r.mediaType().get());
        if (r.mediaType().get().equals(Operation.EVENT_STREAM)) {
          media.set(SSE_DATA_SCHEMA, schemas.schemaFor(r.body().get()));
        } else {
          media.set("schema", schemas.schemaFor(r.body().get()));
        }
      }
      responses.put(String.valueOf(r.status()), response);
    }
    boolean hasQuery = op.params().stream().anyMatch(p -> p.in() == Param.In.QUERY);
    if (op.requestBody().isPresent()) {
      responses.putIfAbsent(
          "400",
          error(
              "Malformed JSON, a missing field or a field of the wrong type (the message names it)",
              schemas));
      responses.putIfAbsent("413", error("Request body larger than GOOSE_MAX_BODY_BYTES", schemas));
      responses.putIfAbsent("415", error("Content-Type is not application/json", schemas));
    } else if (hasQuery) {
      responses.putIfAbsent(
          "400",
          error("A query parameter is out of range or malformed (the message names it)", schemas));
    }
    if (op.access() == Access.PUBLIC) {
      node.putArray("security");
    } else {
      responses.putIfAbsent(
          "401", error("Missing or wrong credentials for the server's auth mode", schemas));
      responses.putIfAbsent(
          "429",
          error("Too many requests from this user (GOOSE_RATE_LIMIT); see Retry-After", schemas));
      if (op.access() == Access.ADMIN)
        responses.putIfAbsent("403", error("Only an admin may do this", schemas));
    }
    if (!op.method().equals("GET"))
      responses.putIfAbsent(
          "403", error("Cross-origin write from an origin not in GOOSE_CORS_ORIGINS", schemas));
    responses.putIfAbsent(
        "421",
        error(
            "The Host header is not a name this server answers to (loopback, GOOSE_ALLOWED_HOSTS)",
            schemas));
    ObjectNode out = node.putObject("responses");
    responses.forEach(out::set);
    out.set(
        "default",
        error("Unexpected server error (code internal); details are in the server log", schemas));
    return node;
  }

  private static ObjectNode error(String description, JsonSchemas schemas) {
    ObjectNode response = Json.object().put("description", description);
    response
        .putObject("content")
        .putObject(Operation.JSON)
        .set("schema", schemas.schemaFor(ApiError.class));
    return response;
  }
}

package goose.server.api;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One route, declared once: its HTTP method and path, its OpenAPI metadata, and its handler. Built
 * with {@link ApiRouter.Routes#get} and friends; {@link Builder#handle} registers it.
 */
public record Operation(
    String method,
    String path,
    String operationId,
    String tag,
    String summary,
    Optional<String> description,
    List<Param<?>> params,
    Optional<Class<?>> requestBody,
    List<Response> responses,
    Access access,
    ApiHandler.Of<?> handler) {

  public static final String JSON = "application/json";
  public static final String EVENT_STREAM = "text/event-stream";

  /**
   * One documented response: status, what it means, and its body (media type and Java type), if
   * any.
   */
  public record Response(
      int status, String description, Optional<String> mediaType, Optional<Type> body) {}

  public Operation {
    params = List.copyOf(params);
    responses = List.copyOf(responses);
  }

  public static final class Builder<G> {
    private final ApiRouter router;
    private final Class<G> group;
    private final String method;
    private final String path;
    private final String operationId;
    private String tag = "default";
    private String summary = "";
    private Optional<String> description = Optional.empty();
    private final List<Param<?>> params = new ArrayList<>();
    private Optional<Class<?>> requestBody = Optional.empty();
    private final List<Response> responses = new ArrayList<>();
    private Access access = Access.USER;

    Builder(ApiRouter router, Class<G> group, String method, String path, String operationId) {
      this.router = router;
      this.group = group;
      this.method = method;
      this.path = path;
      this.operationId = operationId;
    }

    public Builder<G> tag(String tag) {
      this.tag = Objects.requireNonNull(tag);
      return this;
    }

    public Builder<G> summary(String summary) {
      this.summary = Objects.requireNonNull(summary);
      return this;
    }

    public Builder<G> description(String description) {
      this.description = Optional.of(description);
      return this;
    }

    public Builder<G> param(Param<?> param) {
      params.add(param);
      return this;
    }

    /**
     * A JSON request body, parsed and checked before the handler runs; read it with {@link
     * RequestBody#of}.
     */
    public Builder<G> body(Class<?> type) {
      this.requestBody = Optional.of(type);
      return this;
    }

    /** A JSON response. */
    public Builder<G> response(int status, String description, Type body) {
      responses.add(new Response(status, description, Optional.of(JSON), Optional.of(body)));
      return this;
    }

    /**
     * A response of another media type (text/html, ...); {@code body} describes its content. For
     * {@link #EVENT_STREAM}, {@code body} is the type of each event's data.
     */
    public Builder<G> response(int status, String description, String mediaType, Type body) {
      responses.add(new Response(status, description, Optional.of(mediaType), Optional.of(body)));
      return this;
    }

    public Builder<G> noContent(int status, String description) {
      responses.add(new Response(status, description, Optional.empty(), Optional.empty()));
      return this;
    }

    /** An error response this route produces on purpose (404 unknown session, 409 ...). */
    public Builder<G> error(int status, String description) {
      responses.add(
          new Response(
              status,
              description,
              Optional.of(JSON),
              Optional.of(goose.server.http.ApiError.class)));
      return this;
    }

    /** Who may call it (default {@link Access#USER}: any authenticated user, on their own data). */
    public Builder<G> access(Access access) {
      this.access = Objects.requireNonNull(access);
      return this;
    }

    public void handle(ApiHandler<G> handler) {
      router.add(
          new Operation(
              method,
              path,
              operationId,
              tag,
              summary,
              description,
              params,
              requestBody,
              responses,
              access,
              new ApiHandler.Of<>(group, handler)));
    }
  }
}

package goose.server.api;

import goose.server.http.ApiException;
import goose.server.http.ErrorCode;
import goose.server.http.JsonBody;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Collects the declared {@link Operation}s of all {@link RouteGroup}s, then installs them into
 * Javalin. The OpenAPI document is generated from the same list, so a route cannot exist
 * undocumented.
 */
public final class ApiRouter {
  private final List<Operation> operations = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private final Set<String> routes = new HashSet<>();

  /** Declares the routes of the group {@code G}: their handlers are methods of {@code G}. */
  public <G extends RouteGroup> Routes<G> routes(Class<G> group) {
    return new Routes<>(this, group);
  }

  /** The routes of one group, declared on the router. */
  public static final class Routes<G extends RouteGroup> {
    private final ApiRouter router;
    private final Class<G> group;

    private Routes(ApiRouter router, Class<G> group) {
      this.router = router;
      this.group = group;
    }

    /** The router, for a group that serves what has been declared (the OpenAPI document). */
    public ApiRouter router() {
      return router;
    }

    public Operation.Builder<G> get(String path, String operationId) {
      return new Operation.Builder<>(router, group, "GET", path, operationId);
    }

    public Operation.Builder<G> post(String path, String operationId) {
      return new Operation.Builder<>(router, group, "POST", path, operationId);
    }

    public Operation.Builder<G> patch(String path, String operationId) {
      return new Operation.Builder<>(router, group, "PATCH", path, operationId);
    }

    public Operation.Builder<G> put(String path, String operationId) {
      return new Operation.Builder<>(router, group, "PUT", path, operationId);
    }

    public Operation.Builder<G> delete(String path, String operationId) {
      return new Operation.Builder<>(router, group, "DELETE", path, operationId);
    }
  }

  synchronized void add(Operation op) {
    if (!ids.add(op.operationId()))
      throw new IllegalStateException("duplicate operation id " + op.operationId());
    if (!routes.add(op.method() + " " + op.path()))
      throw new IllegalStateException("duplicate route " + op.method() + " " + op.path());
    operations.add(op);
  }

  public synchronized List<Operation> operations() {
    return List.copyOf(operations);
  }

  /**
   * The handlers of every operation, in the order of {@link #operations()}, each on its group's
   * instance among {@code groups}.
   *
   * @throws IllegalStateException when a declared group has no instance in {@code groups} (a wiring
   *     mistake, seen at start)
   */
  public List<io.javalin.http.Handler> bind(List<? extends RouteGroup> groups) {
    return operations().stream().map(op -> op.handler().bind(groups)).toList();
  }

  /**
   * Registers every operation with Javalin, its {@link Operation} attached as {@link
   * OperationMetadata} (the authentication filter reads its {@link Access}); routes with a body get
   * it parsed (415/413/400) before their handler. The handlers are those {@code bound} gives (from
   * {@link #bind}), asked for at each request: the server registers its routes before its services
   * are open and lets no request through before they are ({@code goose.server.StartupGate}).
   */
  public void install(
      RoutesConfig javalin, Supplier<List<io.javalin.http.Handler>> bound, long maxBytes) {
    List<Operation> ops = operations();
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      int index = i;
      io.javalin.http.Handler handler =
          ctx -> {
            if (op.requestBody().isPresent()) {
              ctx.attribute(
                  RequestBody.ATTRIBUTE, JsonBody.read(ctx, op.requestBody().get(), maxBytes));
            }
            bound.get().get(index).handle(ctx);
          };
      javalin.addEndpoint(
          Endpoint.create(HandlerType.findOrCreate(op.method()), op.path())
              .addMetadata(new OperationMetadata(op))
              .handler(handler));
      if (op.method().equals("GET")) javalin.addEndpoint(head(op, handler));
    }
  }

  /**
   * HEAD of a GET route: the same operation (so the same authentication and access check) and the
   * same handler, whose body Jetty leaves out, so that it answers the status and headers GET would
   * (Javalin's own HEAD answered 200 without running either: 200 for a missing session or an admin
   * route). An event stream would never end: its HEAD is a 405.
   */
  private static Endpoint head(Operation op, io.javalin.http.Handler get) {
    boolean stream =
        op.responses().stream()
            .anyMatch(r -> r.mediaType().filter("text/event-stream"::equals).isPresent());
    return Endpoint.create(HandlerType.HEAD, op.path())
        .addMetadata(new OperationMetadata(op))
        .handler(
            stream
                ? ctx -> {
                  throw new ApiException(
                      ErrorCode.METHOD_NOT_ALLOWED,
                      "HEAD is not served on an event stream: use GET " + op.path());
                }
                : get);
  }
}

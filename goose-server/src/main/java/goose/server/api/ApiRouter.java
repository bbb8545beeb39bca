package goose.server.api;

import goose.server.http.JsonBody;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the declared {@link Operation}s of all {@link RouteGroup}s, then installs them into
 * Javalin. The OpenAPI document is generated from the same list, so a route cannot exist
 * undocumented.
 */
public final class ApiRouter {
  private final List<Operation> operations = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private final Set<String> routes = new HashSet<>();

  public static ApiRouter of(List<RouteGroup> groups) {
    ApiRouter router = new ApiRouter();
    groups.forEach(g -> g.declare(router));
    return router;
  }

  public Operation.Builder get(String path, String operationId) {
    return new Operation.Builder(this, "GET", path, operationId);
  }

  public Operation.Builder post(String path, String operationId) {
    return new Operation.Builder(this, "POST", path, operationId);
  }

  public Operation.Builder patch(String path, String operationId) {
    return new Operation.Builder(this, "PATCH", path, operationId);
  }

  public Operation.Builder put(String path, String operationId) {
    return new Operation.Builder(this, "PUT", path, operationId);
  }

  public Operation.Builder delete(String path, String operationId) {
    return new Operation.Builder(this, "DELETE", path, operationId);
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
   * Registers every operation with Javalin, its {@link Operation} attached as {@link
   * OperationMetadata} (the authentication filter reads its {@link Access}); routes with a body get
   * it parsed (415/413/400) before their handler.
   */
  public void install(RoutesConfig javalin, ServerContext server) {
    for (Operation op : operations()) {
      long maxBytes = server.settings().maxBodyBytes();
      javalin.addEndpoint(
          Endpoint.create(HandlerType.findOrCreate(op.method()), op.path())
              .addMetadata(new OperationMetadata(op))
              .handler(
                  ctx -> {
                    if (op.requestBody().isPresent()) {
                      ctx.attribute(
                          RequestBody.ATTRIBUTE,
                          JsonBody.read(ctx, op.requestBody().get(), maxBytes));
                    }
                    op.handler().handle(ctx, server);
                  }));
    }
  }
}

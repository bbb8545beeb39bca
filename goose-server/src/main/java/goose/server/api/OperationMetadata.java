package goose.server.api;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.router.EndpointMetadata;
import java.util.Optional;

/**
 * The declared {@link Operation} attached to its Javalin endpoint, so filters know exactly which
 * operation a request matched.
 */
public record OperationMetadata(Operation operation) implements EndpointMetadata {

  /** The operation the request matched; empty when it matched none (404, 405, a preflight). */
  public static Optional<Operation> of(Context ctx) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    if (endpoint == null) return Optional.empty();
    OperationMetadata meta = endpoint.metadata(OperationMetadata.class);
    return meta == null ? Optional.empty() : Optional.of(meta.operation());
  }
}

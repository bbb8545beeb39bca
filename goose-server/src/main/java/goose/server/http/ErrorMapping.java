package goose.server.http;

import goose.error.ErrorMessages;
import goose.json.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.UncheckedIOException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP error responses. Every exception a handler throws, and
 * Javalin's own 404 (no route) and 405 (known path, other method), end here and leave as {@link
 * ApiError} JSON. Anything unexpected is logged with its stack trace and answered as a 500 with
 * code {@code internal} and no details.
 */
public final class ErrorMapping {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

  /** Set once an error body is written, so Javalin's status-based error handlers leave it alone. */
  private static final String WRITTEN = "goose.error-written";

  private ErrorMapping() {}

  public static void install(JavalinConfig cfg) {
    cfg.routes.exception(Exception.class, (e, ctx) -> handle(e, ctx));
    // Javalin answers some statuses without an exception (for example a handler that only sets
    // 404).
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      cfg.routes.error(status, ErrorMapping::ensureJsonBody);
    }
    cfg.router.javaLangErrorHandler(
        (res, error) -> {
          log.error("fatal error while handling a request", error);
          JettyJsonErrors.writeTo(
              res, 500, ApiError.of(ErrorCode.INTERNAL, "internal server error"));
        });
  }

  /**
   * Marks the error body a route wrote in its own protocol's format (a JSON-RPC error on {@code
   * /acp}) as final: the status handlers above then leave it as it is.
   */
  public static void ownErrorBody(Context ctx) {
    ctx.attribute(WRITTEN, true);
  }

  static void handle(Exception e, Context ctx) {
    java.util.Optional<ApiException> core = CoreErrors.map(e);
    if (e instanceof ApiException api) {
      api.headers().forEach(ctx::header);
      respond(ctx, api.status(), api.code(), ErrorMessages.of(api));
    } else if (core.isPresent()) {
      core.get().headers().forEach(ctx::header);
      respond(ctx, core.get().status(), core.get().code(), ErrorMessages.of(core.get()));
    } else if (e instanceof HttpResponseException http) {
      respond(
          ctx, http.getStatus(), ErrorCode.forStatus(http.getStatus()), javalinMessage(http, ctx));
    } else if (isClientGone(e)) {
      log.debug("client went away: {}", e.toString());
    } else {
      log.error("unexpected error in {} {}", ctx.method(), ctx.path(), e);
      respond(ctx, 500, ErrorCode.INTERNAL, "internal server error");
    }
  }

  private static void respond(Context ctx, int status, ErrorCode code, String message) {
    ctx.attribute(WRITTEN, true);
    ctx.status(status)
        .contentType("application/json")
        .result(Json.write(ApiError.of(code, message)));
  }

  /** Javalin's messages are terse ("Not Found"); say what was not found or not allowed. */
  private static String javalinMessage(HttpResponseException e, Context ctx) {
    String message = e.getMessage();
    if (message == null
        || message.isBlank()
        || message.equals(HttpStatus.forStatus(e.getStatus()).getMessage())) {
      return statusMessage(ctx, e.getStatus());
    }
    return Sanitize.shortText(message, 200);
  }

  private static String statusMessage(Context ctx, int status) {
    String path = Sanitize.shortText(ctx.path(), 200);
    return switch (status) {
      case 404 -> "no route for " + ctx.method() + " " + path;
      case 405 -> "method " + ctx.method() + " is not allowed on " + path;
      case 413 -> "request body is too large";
      default -> HttpStatus.forStatus(status).getMessage();
    };
  }

  private static void ensureJsonBody(Context ctx) {
    if (Boolean.TRUE.equals(ctx.attribute(WRITTEN))) return;
    int status = ctx.statusCode();
    respond(ctx, status, ErrorCode.forStatus(status), statusMessage(ctx, status));
  }

  private static boolean isClientGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EofException) return true;
      if (t instanceof UncheckedIOException && t.getCause() instanceof EofException) return true;
    }
    return false;
  }
}

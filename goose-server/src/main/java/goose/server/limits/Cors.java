package goose.server.limits;

import goose.server.http.ApiException;
import goose.server.http.ErrorCode;
import goose.server.http.Sanitize;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin access, off unless {@code GOOSE_CORS_ORIGINS} lists exact origins (then no origin is
 * allowed, and a state-changing request from a foreign page is still refused). An allowed origin is
 * echoed (never {@code *}, so credentials stay safe) with {@code Vary: Origin}; a preflight from it
 * is answered 204 before authentication (browsers send preflights without credentials). Written
 * here rather than with Javalin's CORS plugin because that plugin reflects whatever headers and
 * methods a preflight asks for, and we also refuse state-changing requests from foreign origins:
 * behind a cookie-based proxy, a cross-site form POST would otherwise act as the signed-in user
 * (CSRF). The server's own pages are those whose origin names an allowed host ({@code
 * GOOSE_ALLOWED_HOSTS}, loopback): never "whatever the request's Host says", which a DNS-rebinding
 * page controls.
 */
public final class Cors {
  static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
  static final String EXPOSED_HEADERS =
      "X-Request-Id, Retry-After, Location, WWW-Authenticate, Acp-Connection-Id";
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  static final String ALLOWED_HEADERS =
      "Authorization, Content-Type, X-Secret-Key, Last-Event-ID, X-Request-Id, Accept,"
          + " Acp-Connection-Id, Acp-Session-Id";
  private final Set<String> origins;
  private final OwnOrigin ownOrigin;

  /** Decides whether an {@code Origin} is a page of this server itself (the allowed hosts). */
  @FunctionalInterface
  public interface OwnOrigin {
    boolean test(String origin, String host, int localPort);
  }

  public Cors(List<String> origins, OwnOrigin ownOrigin) {
    this.origins = Set.copyOf(origins);
    this.ownOrigin = ownOrigin;
  }

  /**
   * Parses {@code GOOSE_CORS_ORIGINS}; throws {@link IllegalArgumentException} naming a bad entry.
   */
  public static List<String> parseOrigins(String text) {
    List<String> out = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String origin = raw.trim();
      if (origin.isEmpty()) continue;
      if (origin.equals("*"))
        throw new IllegalArgumentException(
            "\"*\" is not allowed: list exact origins like https://app.example.com");
      URI uri;
      try {
        uri = URI.create(origin);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "\"" + origin + "\" is not an origin like https://app.example.com");
      }
      boolean plain =
          (uri.getScheme() != null
                  && (uri.getScheme().equals("http") || uri.getScheme().equals("https")))
              && uri.getHost() != null
              && uri.getRawUserInfo() == null
              && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
              && uri.getRawQuery() == null
              && uri.getRawFragment() == null;
      if (!plain)
        throw new IllegalArgumentException(
            "\"" + origin + "\" is not an origin (scheme://host[:port], no path)");
      out.add(origin.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /**
   * The before-filter of every request: preflights answered here, CORS headers added, foreign
   * writes refused.
   */
  public void handle(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) return;
    boolean allowed = origins.contains(origin.toLowerCase(Locale.ROOT));
    String method = ctx.method().name();
    boolean preflight =
        method.equals("OPTIONS") && ctx.header("Access-Control-Request-Method") != null;
    if (allowed) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Access-Control-Allow-Credentials", "true");
      ctx.header("Vary", "Origin");
      ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
    if (preflight) {
      if (!allowed) throw forbidden(origin);
      ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
      ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      ctx.header("Access-Control-Max-Age", "600");
      ctx.status(204);
      ctx.skipRemainingHandlers();
      return;
    }
    if (!allowed
        && !SAFE_METHODS.contains(method)
        && !ownOrigin.test(origin, ctx.header("Host"), ctx.req().getLocalPort()))
      throw forbidden(origin);
  }

  /**
   * A WebSocket upgrade is not subject to CORS in browsers, so a page of any site could open one:
   * an upgrade from a foreign origin is refused like a write (403), unless the origin is allowed or
   * is the server's own (the allowed hosts). Clients that are not browsers send no Origin and pass.
   */
  public void checkUpgrade(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) return;
    if (!origins.contains(origin.toLowerCase(Locale.ROOT))
        && !ownOrigin.test(origin, ctx.header("Host"), ctx.req().getLocalPort()))
      throw forbidden(origin);
  }

  private static ApiException forbidden(String origin) {
    return new ApiException(
        ErrorCode.FORBIDDEN,
        "cross-origin request from "
            + Sanitize.shortText(origin, 100)
            + " refused: the origin is not in GOOSE_CORS_ORIGINS");
  }
}

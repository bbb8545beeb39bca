package goose.server.ui;

import goose.server.api.Access;
import goose.server.api.ApiRouter;
import goose.server.api.BuildInfo;
import goose.server.api.Param;
import goose.server.api.RouteGroup;
import goose.server.auth.AuthMode;
import goose.server.http.ApiException;
import goose.server.http.Sanitize;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * The web UI (docs/web-ui.md): the page at {@code /} and its files under {@code /ui/}. Both are
 * public in every auth mode: they hold no user data, and the page asks for credentials itself
 * (tokens and secret mode) before it calls the API. Every response carries a strict
 * Content-Security-Policy: scripts, styles and connections only from this server, no inline script,
 * no frames.
 */
public final class UiRoutes implements RouteGroup {
  /** What the page may load and where it may connect: this server only. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  private static final Param<String> ASSET = Param.path("asset", "A file of the web UI");
  private final UiAssets assets = new UiAssets();

  private final AuthMode authMode;

  public UiRoutes(AuthMode authMode) {
    this.authMode = authMode;
  }

  public static void declare(ApiRouter.Routes<UiRoutes> api) {
    api.get("/", "getWebUi")
        .tag("ui")
        .access(Access.PUBLIC)
        .summary("The web UI")
        .description(
            "An HTML page that signs in as the auth mode asks and then uses this API; see docs/web-ui.md.")
        .response(200, "An HTML page", "text/html", String.class)
        .handle(UiRoutes::page);
    api.get("/ui/{asset}", "getWebUiAsset")
        .tag("ui")
        .access(Access.PUBLIC)
        .summary("A file of the web UI (script, style sheet, icon)")
        .param(ASSET)
        .response(200, "The file", "application/octet-stream", String.class)
        .noContent(304, "Not modified: If-None-Match names the file's current ETag")
        .error(404, "No such file")
        .handle(UiRoutes::asset);
  }

  private void page(Context ctx) {
    UiAssets.Asset index =
        assets.get("index.html").orElseThrow(() -> new IllegalStateException("no index.html"));
    String html =
        new String(index.bytes(), StandardCharsets.UTF_8)
            .replace("{{auth}}", authMode.wire())
            .replace("{{version}}", BuildInfo.version());
    secure(ctx).header("Cache-Control", "no-cache").html(html);
  }

  private void asset(Context ctx) {
    String name = ASSET.read(ctx);
    UiAssets.Asset file =
        assets
            .get(name)
            .filter(a -> !name.equals("index.html"))
            .orElseThrow(
                () -> ApiException.notFound("no web UI file " + Sanitize.shortText(name, 100)));
    // Revalidated on every load (one cheap 304 per file): a new build is picked up at once.
    secure(ctx).header("Cache-Control", "no-cache").header("ETag", file.etag());
    if (file.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(file.contentType()).result(file.bytes());
  }

  private static Context secure(Context ctx) {
    return ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("Referrer-Policy", "no-referrer")
        .header("X-Frame-Options", "DENY");
  }
}

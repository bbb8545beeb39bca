package goose.server.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.server.api.Access;
import goose.server.api.ApiRouter;
import goose.server.api.BuildInfo;
import goose.server.api.Param;
import goose.server.api.RouteGroup;
import goose.server.http.ApiException;
import goose.server.http.WebJars;
import java.io.InputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /openapi.json} (the document generated from the declared routes) and a browsable UI at
 * {@code GET /docs}, served from the swagger-ui webjar on the classpath (no CDN, works offline).
 * Only the listed asset files are served, so no path reaches the classpath unchecked.
 */
public final class DocsRoutes implements RouteGroup {
  private static final Map<String, String> ASSETS =
      Map.of(
          "swagger-ui.css", "text/css",
          "swagger-ui-bundle.js", "text/javascript",
          "index.css", "text/css",
          "favicon-32x32.png", "image/png",
          "favicon-16x16.png", "image/png");
  private static final String WEBJAR_DIR = WebJars.dir("org.webjars", "swagger-ui");
  private static final Param<String> ASSET = Param.path("asset", "A file of the swagger-ui bundle");
  private static final String PAGE =
      """
      <!DOCTYPE html>
      <html lang="en">
      <head>
        <meta charset="UTF-8">
        <title>goosed API</title>
        <link rel="stylesheet" href="/docs/swagger-ui.css">
        <link rel="stylesheet" href="/docs/index.css">
        <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
      </head>
      <body>
        <div id="swagger-ui"></div>
        <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
        <script src="/docs/init.js" charset="UTF-8"></script>
      </body>
      </html>
      """;

  /**
   * Starts Swagger UI: a file of its own, not an inline script, so that the page's policy can allow
   * scripts from this server only. No validator: its badge would load an image from
   * validator.swagger.io.
   */
  private static final String INIT =
      """
      window.addEventListener("load", () => {
        window.ui = SwaggerUIBundle({
          url: "/openapi.json",
          dom_id: "#swagger-ui",
          deepLinking: true,
          validatorUrl: null,
          presets: [SwaggerUIBundle.presets.apis],
          layout: "BaseLayout"
        });
      });
      """;

  /**
   * What the documentation page may load: this server only, like the web UI's policy, except that
   * Swagger UI sets inline styles and draws its icons from data: URLs. No site may frame it: its
   * "Try it out" sends same-origin requests, which a framing page could trick a person into.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; connect-src 'self'; font-src 'self' data:;"
          + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final ApiRouter router;
  private volatile @Nullable String document;

  /** Serves the document of every route declared on {@code router}. */
  public DocsRoutes(ApiRouter router) {
    this.router = router;
  }

  public static void declare(ApiRouter.Routes<DocsRoutes> api) {
    api.get("/openapi.json", "getOpenApi")
        .tag("docs")
        .access(Access.PUBLIC)
        .summary("This API's OpenAPI 3.1 document")
        .response(200, "The OpenAPI document", ObjectNode.class)
        .handle((group, ctx) -> ctx.contentType("application/json").result(group.document()));
    api.get("/docs", "getDocs")
        .tag("docs")
        .access(Access.PUBLIC)
        .summary("Browsable API documentation (Swagger UI)")
        .response(200, "An HTML page", "text/html", String.class)
        .handle(
            (group, ctx) ->
                ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-cache")
                    .html(PAGE));
    api.get("/docs/{asset}", "getDocsAsset")
        .tag("docs")
        .access(Access.PUBLIC)
        .summary("A static file of the documentation page")
        .param(ASSET)
        .response(200, "The file", "application/octet-stream", String.class)
        .error(404, "No such file")
        .handle(
            (group, ctx) -> {
              String name = ASSET.read(ctx);
              if (name.equals("init.js")) {
                ctx.header("Cache-Control", "no-cache").contentType("text/javascript").result(INIT);
                return;
              }
              String type = ASSETS.get(name);
              InputStream in =
                  type == null ? null : DocsRoutes.class.getResourceAsStream(WEBJAR_DIR + name);
              if (in == null)
                throw ApiException.notFound(
                    "no documentation file " + goose.server.http.Sanitize.shortText(name, 100));
              ctx.header("Cache-Control", "public, max-age=86400").contentType(type).result(in);
            });
  }

  private String document() {
    String doc = document;
    if (doc == null) {
      doc = OpenApiDocument.toJson(OpenApiDocument.build(router.operations(), BuildInfo.version()));
      document = doc;
    }
    return doc;
  }
}

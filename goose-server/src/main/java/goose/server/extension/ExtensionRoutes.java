package goose.server.extension;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.extension.ExtensionManager;
import goose.json.Json;
import goose.server.api.Access;
import goose.server.api.ApiRouter;
import goose.server.api.Param;
import goose.server.api.RequestBody;
import goose.server.api.RouteGroup;
import goose.server.http.Doc;
import goose.server.http.RequestUser;
import goose.tool.ToolSpec;
import io.javalin.http.Context;
import java.util.List;

/**
 * Extensions at run time: list, add or update, delete, enable, disable, and their tools. Changing
 * them is for admins ({@link Access#ADMIN}: every user's sessions share them); reading is for
 * everyone. A thin layer over {@link goose.extension.ExtensionManager}; changes persist to
 * config.yaml and apply to the next provider call of every session.
 */
public final class ExtensionRoutes implements RouteGroup {
  private static final Param<String> NAME = Param.path("name", "The extension's name");

  @Doc("The configured extensions")
  public record ExtensionList(List<ExtensionView> extensions) {}

  @Doc("A tool as offered to the model")
  public record ToolView(
      @Doc("extension__tool") String name,
      String description,
      @Doc("The tool's JSON Schema, verbatim") ObjectNode inputSchema,
      @Doc("MCP readOnlyHint") boolean readOnly) {}

  @Doc("The tools of one extension")
  public record ToolList(List<ToolView> tools) {}

  private static final String NOT_SAVED =
      "The change cannot be saved: config.yaml is read-only (the message names the file); nothing changed";

  private final ExtensionManager extensions;

  public ExtensionRoutes(ExtensionManager extensions) {
    this.extensions = extensions;
  }

  public static void declare(ApiRouter.Routes<ExtensionRoutes> api) {
    api.get("/extensions", "listExtensions")
        .tag("extensions")
        .summary("List extensions with their status")
        .description(
            "Users who are not admins see credentials masked: a URL's password and query values,"
                + " secrets among the arguments and in the last error. Values of envs and headers"
                + " are never shown, only their names.")
        .response(200, "Every configured extension", ExtensionList.class)
        .handle(
            (group, ctx) -> {
              boolean admin = RequestUser.of(ctx).admin();
              ctx.json(
                  new ExtensionList(
                      group.extensions.list().stream()
                          .map(info -> ExtensionView.forReader(info, admin))
                          .toList()));
            });
    api.post("/extensions", "putExtension")
        .tag("extensions")
        .summary("Add an extension, or replace the one of the same name")
        .access(Access.ADMIN)
        .error(403, "Not an admin, or refused by the allowlist")
        .body(ExtensionRequest.class)
        .response(200, "The extension as now configured", ExtensionView.class)
        .error(400, "Invalid configuration (the message names the field)")
        .error(409, NOT_SAVED)
        .handle(ExtensionRoutes::put);
    api.delete("/extensions/{name}", "deleteExtension")
        .tag("extensions")
        .summary("Remove an extension (stopping its server)")
        .access(Access.ADMIN)
        .error(403, "Not an admin, or refused by the allowlist")
        .param(NAME)
        .noContent(204, "Removed")
        .error(400, "A built-in extension cannot be removed (disable it instead)")
        .error(409, NOT_SAVED)
        .error(404, "No such extension")
        .handle(
            (group, ctx) -> {
              group.extensions.delete(NAME.read(ctx));
              ctx.status(204);
            });
    api.post("/extensions/{name}/enable", "enableExtension")
        .tag("extensions")
        .summary("Enable an extension")
        .access(Access.ADMIN)
        .error(403, "Not an admin, or refused by the allowlist")
        .param(NAME)
        .response(200, "The extension", ExtensionView.class)
        .error(404, "No such extension")
        .error(409, NOT_SAVED)
        .handle(
            (group, ctx) -> ctx.json(ExtensionView.of(group.extensions.enable(NAME.read(ctx)))));
    api.post("/extensions/{name}/disable", "disableExtension")
        .tag("extensions")
        .summary("Disable an extension (stopping its server)")
        .access(Access.ADMIN)
        .error(403, "Not an admin, or refused by the allowlist")
        .param(NAME)
        .response(200, "The extension", ExtensionView.class)
        .error(404, "No such extension")
        .error(409, NOT_SAVED)
        .handle(
            (group, ctx) -> ctx.json(ExtensionView.of(group.extensions.disable(NAME.read(ctx)))));
    api.get("/extensions/{name}/tools", "listExtensionTools")
        .tag("extensions")
        .summary("The tools an extension offers (starts it if needed)")
        .param(NAME)
        .response(200, "Its tools", ToolList.class)
        .error(404, "No such extension")
        .handle(ExtensionRoutes::tools);
  }

  private void put(Context ctx) {
    ObjectNode config = Json.MAPPER.valueToTree(RequestBody.of(ctx, ExtensionRequest.class));
    ctx.json(ExtensionView.of(extensions.addOrUpdate(config)));
  }

  private void tools(Context ctx) {
    List<ToolSpec> tools = extensions.tools(NAME.read(ctx));
    ctx.json(
        new ToolList(
            tools.stream()
                .map(t -> new ToolView(t.name(), t.description(), t.inputSchema(), t.readOnly()))
                .toList()));
  }
}

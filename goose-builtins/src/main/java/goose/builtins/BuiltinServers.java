package goose.builtins;

import com.fasterxml.jackson.databind.ObjectMapper;
import goose.builtins.developer.DeveloperExtension;
import goose.builtins.memory.MemoryExtension;
import goose.builtins.todo.TodoExtension;
import goose.config.Config;
import goose.conversation.Content;
import goose.extension.BuiltinExtension;
import goose.json.Json;
import goose.sandbox.Sandbox;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in extensions, for the {@code ExtensionManager} (in-process) and as stand-alone stdio
 * MCP servers ({@code goose mcp NAME}), both from the same {@link BuiltinExtension} instances.
 */
public final class BuiltinServers {
  private BuiltinServers() {}

  /**
   * developer, memory and todo for a single-user process ({@code goose mcp NAME}): the sandbox only
   * when {@code GOOSE_SANDBOX=on}. memory and todo keep their data in the session store ({@code
   * store}, which must come from {@link SessionStores}).
   */
  public static List<BuiltinExtension> all(Config config, SessionStore store) {
    return all(config, store, Sandbox.forSingleUser(config));
  }

  /**
   * developer (its shell starting through {@code sandbox}, its editor reaching files through it),
   * memory and todo (keeping their data in the session store {@code store}, which must come from
   * {@link SessionStores}).
   */
  public static List<BuiltinExtension> all(Config config, SessionStore store, Sandbox sandbox) {
    return List.of(
        new DeveloperExtension(sandbox),
        new MemoryExtension(SessionStores.memories(store)),
        new TodoExtension(SessionStores.todos(store)));
  }

  public static List<String> names() {
    return List.of("developer", "memory", "todo");
  }

  /**
   * Serves one built-in over MCP on this process's stdin/stdout until stdin closes. Anything else
   * the process prints to stdout (logging) is moved to stderr, since stdout carries only protocol
   * messages. A line that is not a JSON-RPC message is answered with an error and the server goes
   * on ({@link JsonRpcLineGuard}). memory and todo use the configured session store, beside a
   * running server. Throws {@link IllegalArgumentException} for an unknown name.
   */
  public static void runStdio(String name) {
    PrintStream protocolOut = System.out;
    System.setOut(System.err); // before anything logs (opening the store does): stdout is protocol
    Config config = Config.fromEnvironment();
    try (SessionStore store = SessionStores.open(config)) {
      serve(name, config, store, protocolOut);
    }
  }

  private static void serve(
      String name, Config config, SessionStore store, PrintStream protocolOut) {
    BuiltinExtension builtin =
        all(config, store).stream()
            .filter(b -> b.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no built-in extension named '"
                            + name
                            + "' (choose from "
                            + String.join(", ", names())
                            + ")"));
    JsonRpcLineGuard guard = new JsonRpcLineGuard(System.in, protocolOut);
    McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
    ToolContext context =
        new ToolContext(
            System.getProperty("user.name", "local"),
            "mcp-" + ProcessHandle.current().pid(),
            Path.of("").toAbsolutePath());
    McpSyncServer server =
        McpServer.sync(new StdioServerTransportProvider(mapper, guard.sdkInput(), guard.output()))
            .serverInfo("goose-" + name, "0.1.0")
            .instructions(builtin.instructions())
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(specifications(builtin, context, mapper))
            .build();
    try {
      guard.run(); // until stdin ends: then the server stops and the process exits
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.close();
    }
  }

  /** The built-in's tools as MCP tool specifications calling it in-process. */
  static List<McpServerFeatures.SyncToolSpecification> specifications(
      BuiltinExtension builtin, ToolContext context, McpJsonMapper mapper) {
    List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
    for (ToolSpec spec : builtin.tools()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> schema = Json.MAPPER.convertValue(spec.inputSchema(), Map.class);
      McpSchema.Tool tool =
          McpSchema.Tool.builder(spec.name(), schema)
              .description(spec.description())
              .annotations(
                  new McpSchema.ToolAnnotations(
                      null, spec.readOnly(), !spec.readOnly(), null, false, null))
              .build();
      specs.add(
          new McpServerFeatures.SyncToolSpecification(
              tool,
              (exchange, request) -> {
                var args =
                    request.arguments() == null
                        ? Json.object()
                        : (com.fasterxml.jackson.databind.node.ObjectNode)
                            Json.MAPPER.valueToTree(request.arguments());
                Content.ToolResponse response =
                    builtin.call(context, new Content.ToolRequest("mcp", request.name(), args));
                return toResult(response);
              }));
    }
    return specs;
  }

  private static McpSchema.CallToolResult toResult(Content.ToolResponse response) {
    List<McpSchema.Content> parts = new ArrayList<>();
    for (Content c : response.content()) {
      switch (c) {
        case Content.Text t -> parts.add(McpSchema.TextContent.builder(t.text()).build());
        case Content.Image i ->
            parts.add(McpSchema.ImageContent.builder(i.data(), i.mimeType()).build());
        default -> {}
      }
    }
    return McpSchema.CallToolResult.builder().content(parts).isError(response.isError()).build();
  }

  /** {@code java goose.builtins.BuiltinServers NAME}: the same as {@code goose mcp NAME}. */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println(
          "usage: BuiltinServers NAME   (one of " + String.join(", ", names()) + ")");
      System.exit(2);
    }
    runStdio(args[0]);
    System.exit(0);
  }
}

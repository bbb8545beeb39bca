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
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The built-in extensions, for the {@code ExtensionManager} (in-process) and as stand-alone stdio
 * MCP servers ({@code goose mcp NAME}), both from the same {@link BuiltinExtension} instances.
 */
public final class BuiltinServers {
  private BuiltinServers() {}

  /**
   * developer, memory and todo for a single-user process ({@code goose mcp NAME}): the sandbox only
   * when {@code GOOSE_SANDBOX=on}.
   */
  public static List<BuiltinExtension> all(Config config) {
    return all(config, Sandbox.forSingleUser(config));
  }

  /**
   * developer (its shell starting through {@code sandbox}, its editor reaching files through it),
   * memory and todo (storing their data under the configuration's data dir).
   */
  public static List<BuiltinExtension> all(Config config, Sandbox sandbox) {
    Path data = config.paths().dataDir();
    return List.of(
        new DeveloperExtension(sandbox), new MemoryExtension(data), new TodoExtension(data));
  }

  public static List<String> names() {
    return List.of("developer", "memory", "todo");
  }

  /**
   * Serves one built-in over MCP on this process's stdin/stdout until stdin closes. Anything else
   * the process prints to stdout (logging) is moved to stderr, since stdout carries only protocol
   * messages. Throws {@link IllegalArgumentException} for an unknown name.
   */
  public static void runStdio(String name) throws InterruptedException {
    Config config = Config.fromEnvironment();
    BuiltinExtension builtin =
        all(config).stream()
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
    PrintStream protocolOut = System.out;
    System.setOut(System.err);
    CountDownLatch stdinClosed = new CountDownLatch(1);
    InputStream in =
        new FilterInputStream(System.in) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) stdinClosed.countDown();
            return n;
          }

          @Override
          public int read() throws IOException {
            int c = super.read();
            if (c < 0) stdinClosed.countDown();
            return c;
          }
        };
    McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
    ToolContext context =
        new ToolContext(
            System.getProperty("user.name", "local"),
            "mcp-" + ProcessHandle.current().pid(),
            Path.of("").toAbsolutePath(),
            null);
    McpSyncServer server =
        McpServer.sync(new StdioServerTransportProvider(mapper, in, protocolOut))
            .serverInfo("goose-" + name, "0.1.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(specifications(builtin, context, mapper))
            .build();
    try {
      stdinClosed.await();
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
        case Content.Text t -> parts.add(new McpSchema.TextContent(t.text()));
        case Content.Image i -> parts.add(new McpSchema.ImageContent(null, i.data(), i.mimeType()));
        default -> {}
      }
    }
    return McpSchema.CallToolResult.builder().content(parts).isError(response.isError()).build();
  }

  /** {@code java goose.builtins.BuiltinServers NAME}: the same as {@code goose mcp NAME}. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println(
          "usage: BuiltinServers NAME   (one of " + String.join(", ", names()) + ")");
      System.exit(2);
    }
    runStdio(args[0]);
    System.exit(0);
  }
}

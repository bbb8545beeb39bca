package goose.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import goose.testing.ChildJvm;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code goose mcp developer}: a built-in served over stdio, driven by the SDK's own client. */
// A child JVM's start took more than 60 s twice at a load of 35 (bin/test beside four other
// builds): the initialize wait and the bound per test leave room for that. The SDK's explicit
// initialize() waits for its answer with the request timeout, not the initialization timeout: it
// missed 60 s twice more at a load of 40-47 (child JVMs at nice 10), so both are 120 s.
@Timeout(240)
class BuiltinStdioServerTest {
  @BeforeAll
  static void quietTheSdk() {
    // SLF4J hands out stand-in loggers while it is still starting up in another test class running
    // at the same time: wait for logback itself.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> LoggerFactory.getILoggerFactory() instanceof LoggerContext);
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger("io.modelcontextprotocol")
        .setLevel(Level.WARN);
  }

  @TempDir Path home;

  private McpSyncClient client(String name) {
    // A child JVM like every other the tests start (C1 alone: a start takes less CPU).
    List<String> command = ChildJvm.command("goose.builtins.BuiltinServers", name);
    ServerParameters params =
        ServerParameters.builder(command.getFirst())
            .args(command.subList(1, command.size()))
            .env(Map.of("GOOSE_PATH_ROOT", home.toString()))
            .build();
    McpSyncClient client =
        McpClient.sync(
                new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper())))
            .requestTimeout(Duration.ofSeconds(120))
            .initializationTimeout(Duration.ofSeconds(120))
            .build();
    client.initialize();
    return client;
  }

  @Test
  void developerServesShellAndTextEditorOverStdio() {
    McpSyncClient client = client("developer");
    try {
      assertThat(client.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .containsExactlyInAnyOrder("shell", "text_editor");
      // The instructions for the model travel in initialize, as with any MCP server.
      assertThat(client.getServerInstructions()).contains("developer extension", "text_editor");
      McpSchema.Tool shell =
          client.listTools().tools().stream()
              .filter(t -> t.name().equals("shell"))
              .findFirst()
              .orElseThrow();
      assertThat(shell.inputSchema()).containsKey("properties");
      McpSchema.CallToolResult r =
          client.callTool(callRequest("shell", Map.of("command", "echo hello from stdio")));
      assertThat(r.isError()).isFalse();
      assertThat(((McpSchema.TextContent) r.content().get(0)).text()).contains("hello from stdio");
      McpSchema.CallToolResult bad =
          client.callTool(callRequest("shell", Map.of("command", "exit 3")));
      assertThat(bad.isError()).isTrue();
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void todoKeepsItsListInTheSessionStore() throws Exception {
    McpSyncClient client = client("todo");
    try {
      client.callTool(callRequest("todo_write", Map.of("content", "- [ ] ship it")));
      McpSchema.CallToolResult r = client.callTool(callRequest("todo_read", Map.of()));
      assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("- [ ] ship it");
    } finally {
      client.closeGracefully();
    }
    try (var c =
            java.sql.DriverManager.getConnection(
                "jdbc:sqlite:" + home.resolve("data/sessions/sessions.db"));
        var rs = c.createStatement().executeQuery("SELECT content FROM todo_lists")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("- [ ] ship it");
    }
  }

  private static McpSchema.CallToolRequest callRequest(String tool, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
  }
}

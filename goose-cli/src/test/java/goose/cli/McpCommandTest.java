package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goose mcp memory} through the real entry point, in a child process, driven by the MCP SDK
 * client.
 */
@Timeout(120)
class McpCommandTest {
  @TempDir Path root;

  @Test
  void servesABuiltinOverStdioUntilTheClientCloses() {
    List<String> command = ChildJvm.command(Main.class.getName(), "mcp", "memory");
    ServerParameters params =
        ServerParameters.builder(command.getFirst())
            .args(command.subList(1, command.size()))
            .env(Map.of("GOOSE_PATH_ROOT", root.toString()))
            .build();
    McpSyncClient client =
        McpClient.sync(
                new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper())))
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .build();
    try {
      client.initialize();
      assertThat(client.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .contains("remember_memory", "retrieve_memories");
      McpSchema.CallToolResult stored =
          client.callTool(
              McpSchema.CallToolRequest.builder("remember_memory")
                  .arguments(
                      Map.of("category", "cli", "data", "goose mcp works", "is_global", true))
                  .build());
      assertThat(stored.isError()).as("%s", stored.content()).isFalse();
    } finally {
      client.closeGracefully();
    }
    assertThat(root.resolve("data")).isNotEmptyDirectory();
  }
}

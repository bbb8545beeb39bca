package goose.extension;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import goose.tool.ToolContext;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test (surefire does not pick up *Benchmark by default): measures one stdio tool call
 * ({@code echo} of the everything server) through the ExtensionManager against the same call made
 * directly with the SDK's sync client and stdio transport. Run with {@code mvn -o -pl goose-core
 * test -Dtest=McpCallOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false} and read the
 * numbers in target/surefire-reports/goose.extension.McpCallOverheadBenchmark-output.txt.
 */
class McpCallOverheadBenchmark {
  static final int WARMUP = 100;
  static final int CALLS = 200;
  @TempDir Path home;

  @Test
  void echoThroughTheManagerVersusTheSdkDirectly() {
    String js = TestServers.everythingJs();
    ServerParameters params = ServerParameters.builder("node").args(js, "stdio").build();
    McpSyncClient client =
        McpClient.sync(
                new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper())))
            .requestTimeout(Duration.ofSeconds(60))
            .build();
    try (ExtensionManager manager =
        new ExtensionManager(
            TestServers.config(home), List.of(), Allowlist.none(), Duration.ofSeconds(1))) {
      client.initialize();
      manager.addOrUpdate(TestServers.stdio("everything", js, "stdio"));
      ToolContext ctx = TestServers.context(home);
      Supplier<String> viaManager =
          () ->
              manager
                  .call(ctx, TestServers.request("everything__echo", "{\"message\":\"ping\"}"))
                  .text();
      Supplier<String> direct =
          () ->
              ((McpSchema.TextContent)
                      client
                          .callTool(
                              McpSchema.CallToolRequest.builder("echo")
                                  .arguments(Map.of("message", "ping"))
                                  .build())
                          .content()
                          .get(0))
                  .text();
      for (int i = 0; i < WARMUP; i++) {
        assertThat(viaManager.get()).isEqualTo("Echo: ping");
        assertThat(direct.get()).isEqualTo("Echo: ping");
      }
      // Interleaved, so both see the same machine load and JIT state.
      double[] m = new double[CALLS];
      double[] d = new double[CALLS];
      for (int i = 0; i < CALLS; i++) {
        m[i] = time(viaManager);
        d[i] = time(direct);
      }
      String report =
          String.format(
              "MCP stdio echo, %d interleaved calls each after %d warm-up: ExtensionManager median %.3f ms (p90 %.3f); SDK direct median %.3f ms (p90 %.3f); overhead of the median %.3f ms%n",
              CALLS, WARMUP, median(m), p90(m), median(d), p90(d), median(m) - median(d));
      System.out.print(report);
      System.err.print(report);
    } finally {
      client.closeGracefully();
    }
  }

  private static double time(Supplier<String> call) {
    long t0 = System.nanoTime();
    String answer = call.get();
    double ms = (System.nanoTime() - t0) / 1e6;
    assertThat(answer).isEqualTo("Echo: ping");
    return ms;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double p90(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[(int) Math.ceil(s.length * 0.9) - 1];
  }
}

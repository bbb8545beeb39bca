package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code goose mcp NAME} fed raw bytes, as a buggy or hostile client sends them: a line that is not
 * JSON is answered -32700, a batch or a malformed message -32600, and the server keeps serving;
 * when stdin closes it exits. Through the real entry point in its own process.
 */
// The first answer includes the JVM's start: at a load of 40-74 it took more than 60 s (three
// failures in a row waiting for that first answer).
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class McpBadInputTest {
  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

  /**
   * One data directory for the three servers, as on a user's machine: the first creates and
   * migrates the store, the others open it as it is.
   */
  @TempDir static Path root;

  @ParameterizedTest
  @ValueSource(strings = {"developer", "memory", "todo"})
  void badLinesAreAnsweredTheServerKeepsServingAndExitsWhenStdinCloses(String name)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(Main.class.getName(), "mcp", name));
    pb.environment().put("GOOSE_PATH_ROOT", root.toString());
    pb.environment().put("HOME", root.toString());
    pb.redirectError(root.resolve("stderr-" + name + ".txt").toFile());
    Process process = pb.start();
    try {
      LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) lines.add(line);
                } catch (IOException ignored) {
                  // the process ended
                }
              });
      OutputStream in = process.getOutputStream();

      send(in, "this is not json");
      assertError(next(lines), JsonNode::isNull, -32700);

      send(in, INITIALIZE);
      JsonNode init = next(lines);
      assertThat(init.get("id").asInt()).isEqualTo(1);
      assertThat(init.at("/result/serverInfo/name").asText()).isEqualTo("goose-" + name);
      send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

      send(in, "[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}]");
      assertError(next(lines), JsonNode::isNull, -32600);
      send(in, "{\"jsonrpc\":\"2.0\",\"id\":3}");
      assertError(next(lines), id -> id.asInt() == 3, -32600);
      send(in, "{\"jsonrpc\":\"1.0\",\"id\":4,\"method\":\"tools/list\"}");
      assertError(next(lines), id -> id.asInt() == 4, -32600);
      in.write(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, '{', '\n'});
      in.flush();
      assertError(next(lines), JsonNode::isNull, -32700);
      send(in, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\",\"params\":{}}{");
      assertError(next(lines), JsonNode::isNull, -32700);

      send(in, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/list\",\"params\":{}}");
      JsonNode tools = next(lines);
      assertThat(tools.get("id").asInt()).isEqualTo(6);
      assertThat(tools.at("/result/tools").size()).isPositive();

      // A request sent right before stdin closes is still answered, then the process exits.
      send(in, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{}}");
      in.close();
      assertThat(next(lines).get("id").asInt()).isEqualTo(7);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits once stdin is closed").isTrue();
      assertThat(process.exitValue()).isZero();
    } finally {
      process.destroyForcibly();
    }
  }

  private static void send(OutputStream in, String line) throws IOException {
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  private static JsonNode next(LinkedBlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(150, TimeUnit.SECONDS);
    assertThat(line).as("an answer line within 150 s").isNotNull();
    return Json.parse(line);
  }

  private static void assertError(
      JsonNode answer, java.util.function.Predicate<JsonNode> id, int code) {
    assertThat(answer.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(id.test(answer.get("id"))).as("id of %s", answer).isTrue();
    assertThat(answer.at("/error/code").asInt()).as("%s", answer).isEqualTo(code);
    assertThat(List.of(answer.at("/error/message").asText())).doesNotContain("");
  }
}

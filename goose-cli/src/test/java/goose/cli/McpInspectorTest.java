package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.testing.ChildJvm;
import goose.testing.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official MCP Inspector ({@code @modelcontextprotocol/inspector} in its {@code --cli} mode,
 * from the npm fixture testing/mcp-inspector) drives {@code goose mcp NAME}: it lists the tools and
 * calls one, as any third-party MCP client would.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class McpInspectorTest {
  private static Path inspector;

  @TempDir static Path root;

  @BeforeAll
  static void install() throws Exception {
    Path dir = Repo.path("testing/mcp-inspector");
    Path bin =
        dir.resolve("node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js");
    if (!Files.exists(bin)) {
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefix", dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertThat(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0)
          .as("npm ci in %s", dir)
          .isTrue();
    }
    inspector = bin;
  }

  @ParameterizedTest
  @CsvSource({
    "todo, todo_read, ",
    "memory, retrieve_memories, category=*",
    "developer, shell, command=echo inspected"
  })
  void theInspectorListsAndCallsTheToolsOfEveryBuiltin(String name, String tool, String arg)
      throws Exception {
    JsonNode tools = inspect(name, "--method", "tools/list");
    List<String> names = new ArrayList<>();
    tools.get("tools").forEach(t -> names.add(t.get("name").asText()));
    assertThat(names).contains(tool);

    List<String> call = new ArrayList<>(List.of("--method", "tools/call", "--tool-name", tool));
    if (arg != null) call.addAll(List.of("--tool-arg", arg));
    JsonNode result = inspect(name, call.toArray(String[]::new));
    assertThat(result.get("isError").asBoolean()).as("%s", result).isFalse();
    assertThat(result.get("content").get(0).get("type").asText()).isEqualTo("text");
    if (name.equals("developer"))
      assertThat(result.get("content").get(0).get("text").asText()).contains("inspected");
  }

  /** Runs the Inspector's CLI against {@code goose mcp NAME}; its JSON output. */
  private static JsonNode inspect(String name, String... args) throws Exception {
    Path launcher = goose(name);
    List<String> command =
        new ArrayList<>(
            List.of("node", inspector.toString(), "--cli", "--connect-timeout", "120000"));
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().put("HOME", root.toString());
    pb.environment().put("MCP_CATALOG_PATH", root.resolve("catalog.json").toString());
    Path out = root.resolve("inspector-out.txt");
    Path err = root.resolve("inspector-err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("the inspector finished").isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s%n%s", text, Files.readString(err)).isZero();
    return Json.parse(text);
  }

  /**
   * A one-line launcher for {@code goose mcp NAME} with this JVM's class path (the Inspector takes
   * a command, and its own options would swallow the JVM's).
   */
  private static Path goose(String name) throws IOException {
    Path script = root.resolve("goose-mcp-" + name);
    String command =
        ChildJvm.command(Main.class.getName(), "mcp", name).stream()
            .map(word -> "'" + word + "'")
            .collect(Collectors.joining(" "));
    Files.writeString(script, "#!/bin/sh\nGOOSE_PATH_ROOT='" + root + "' exec " + command + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }
}

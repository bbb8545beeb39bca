package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code goose acp} and {@code goose serve} on the command line. */
class AcpAndServeCommandTest {
  @TempDir Path home;

  private CliRun cli() {
    return new CliRun(home).env("GOOSE_PATH_ROOT", home.resolve("root").toString());
  }

  @Test
  void acpSpeaksOnlyJsonRpcOnStdout() {
    CliRun.Result r =
        cli()
            .runWithInput(
                """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":1}}
                not json
                {"jsonrpc":"2.0","id":2,"method":"session/list","params":{}}
                """,
                "acp");
    assertThat(r.exitCode()).as(r.err()).isZero();
    var lines = r.out().strip().lines().map(Json::parse).toList();
    assertThat(lines).hasSize(3);
    JsonNode init = lines.stream().filter(l -> l.path("id").asInt() == 1).findFirst().orElseThrow();
    assertThat(init.at("/result/protocolVersion").asInt()).isEqualTo(1);
    assertThat(lines.stream().filter(l -> l.at("/error/code").asInt() == -32700)).hasSize(1);
    assertThat(
            lines.stream()
                .filter(l -> l.path("id").asInt() == 2)
                .findFirst()
                .orElseThrow()
                .at("/result/sessions")
                .isArray())
        .isTrue();
  }

  @Test
  void acpAnswersEveryLineItCannotTakeWithAParseErrorOrInvalidRequest() {
    CliRun.Result r =
        cli()
            .runWithInput(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"session/list\",\"params\":{}}"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"session/list\",\"params\":{}}\n"
                    + "{\"jsonrpc\":2.0,\"id\":3,\"method\":\"session/list\",\"params\":{}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"session/list\",\"params\":{}}\r\n",
                "acp");
    assertThat(r.exitCode()).as(r.err()).isZero();
    var lines = r.out().strip().lines().map(Json::parse).toList();
    assertThat(lines).hasSize(3);
    // Two messages on one line: refused as a whole, not the first answered and the second lost.
    assertThat(lines.stream().filter(l -> l.at("/error/code").asInt() == -32700).toList())
        .singleElement()
        .extracting(e -> e.at("/error/message").asText())
        .asString()
        .contains("Trailing token");
    // "jsonrpc" as the number 2.0 is not JSON-RPC 2.0.
    JsonNode numberVersion =
        lines.stream().filter(l -> l.path("id").asInt() == 3).findFirst().orElseThrow();
    assertThat(numberVersion.at("/error/code").asInt()).isEqualTo(-32600);
    JsonNode crlf = lines.stream().filter(l -> l.path("id").asInt() == 4).findFirst().orElseThrow();
    assertThat(crlf.at("/result/sessions").isArray()).as("a line ending in CRLF").isTrue();
  }

  @Test
  void anUnknownBuiltinStopsTheStartNamingTheBuiltins() {
    CliRun.Result r = cli().run("acp", "--with-builtin", "developer,nonesuch");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("nonesuch", "developer", "memory", "todo");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void serveTakesGoosesFlags() {
    CliRun.Result help = cli().run("serve", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--host", "--port", "--with-builtin", "/acp");
    CliRun.Result root = cli().run("--help");
    assertThat(root.out()).contains("serve", "acp");
    CliRun.Result bad = cli().run("serve", "--port", "not-a-port");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
  }
}

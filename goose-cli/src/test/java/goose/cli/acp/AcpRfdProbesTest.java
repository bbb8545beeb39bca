package goose.cli.acp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.config.Config;
import goose.server.GooseServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status codes of the ACP HTTP/WebSocket RFD's probes (rfd-probes.mjs) against /acp: the same
 * answers goose 1.52.0's {@code goose serve} gives (compare-with-goose.sh shows them side by side).
 */
class AcpRfdProbesTest {
  private static final String SECRET = "probe-secret-0123456789abc";

  @TempDir Path root;

  @Test
  void theRfdProbesGetTheRfdsStatusCodes() throws Exception {
    Files.createDirectories(root.resolve("home"));
    Map<String, String> env =
        Map.of(
            "GOOSE_PATH_ROOT",
            root.toString(),
            "GOOSE_PORT",
            "0",
            "GOOSE_AUTH",
            "secret",
            "GOOSE_SERVER__SECRET_KEY",
            SECRET);
    try (GooseServer server = GooseServer.start(Config.load(env, root.resolve("home")))) {
      AcpClients.Run run =
          AcpClients.node(
              Map.of(),
              root,
              "rfd-probes.mjs",
              List.of(
                  "http://127.0.0.1:" + server.port(), "{\"X-Secret-Key\":\"" + SECRET + "\"}"));
      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode probes = run.json();
      Map<String, Object> expected = new LinkedHashMap<>();
      expected.put("GET /health", 200);
      expected.put("POST wrong credentials", 401);
      expected.put("POST text/plain", 415);
      expected.put("POST malformed JSON", 400);
      expected.put("POST without connection", 400);
      expected.put("POST unknown connection", 404);
      expected.put("POST initialize", 200);
      expected.put("initialize Acp-Connection-Id", "present");
      expected.put("GET without Accept", 406);
      expected.put("GET without connection", 400);
      expected.put("GET unknown connection", 404);
      expected.put("GET connection stream", 200);
      expected.put("GET second receiver", 409);
      expected.put("POST session/list", 202);
      expected.put("POST mismatched Acp-Session-Id", 400);
      expected.put("PUT", 405);
      expected.put("DELETE without connection", 400);
      expected.put("DELETE unknown connection", 404);
      expected.put("DELETE", 202);
      expected.put("POST after DELETE", 404);
      expected.forEach(
          (probe, status) ->
              assertThat(probes.path(probe).asText()).as(probe).isEqualTo(String.valueOf(status)));
    }
  }
}

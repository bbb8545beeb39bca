package goose.cli.acp;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.Config;
import goose.provider.fake.FakeAnthropicServer;
import goose.server.GooseServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official ACP client SDK drives the real server through each transport: {@code goose acp} as a
 * child process (ndJsonStream), {@code /acp} over Streamable HTTP (createHttpStream) and over
 * WebSocket (createWebSocketStream with ws), with the same scenario and the same expectations.
 */
class AcpSdkTest {
  private static final String SECRET = "acp-test-secret-0123456789";

  @TempDir Path root;

  @Test
  void stdioChildProcess() throws Exception {
    try (FakeAnthropicServer anthropic = new FakeAnthropicServer()) {
      Path cwd = workDir();
      AcpScenario.script(anthropic, cwd);
      List<String> args = new ArrayList<>(List.of("stdio", "--cwd", cwd.toString(), "--"));
      args.addAll(AcpClients.gooseAcp());
      AcpClients.Run run =
          AcpClients.node(AcpScenario.env(root, anthropic), cwd, "scenario.mjs", args);
      assertThat(run.exitCode()).as(run.err()).isZero();
      AcpScenario.check(Transcript.of(run.json()), cwd);
    }
  }

  @Test
  void streamableHttp() throws Exception {
    overServer("http");
  }

  @Test
  void webSocket() throws Exception {
    overServer("ws");
  }

  private void overServer(String transport) throws Exception {
    try (FakeAnthropicServer anthropic = new FakeAnthropicServer()) {
      Path cwd = workDir();
      AcpScenario.script(anthropic, cwd);
      Map<String, String> env = new HashMap<>(AcpScenario.env(root, anthropic));
      env.put("GOOSE_PORT", "0");
      env.put("GOOSE_AUTH", "secret");
      env.put("GOOSE_SERVER__SECRET_KEY", SECRET);
      try (GooseServer server = GooseServer.start(Config.load(env, root.resolve("home")))) {
        String url =
            (transport.equals("ws") ? "ws" : "http") + "://127.0.0.1:" + server.port() + "/acp";
        AcpClients.Run run =
            AcpClients.node(
                Map.of(),
                cwd,
                "scenario.mjs",
                List.of(
                    transport, url, "--header", "X-Secret-Key:" + SECRET, "--cwd", cwd.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        Transcript t = Transcript.of(run.json());
        AcpScenario.check(t, cwd);
        // The same store: the deleted session is gone for the REST API too.
        String id = t.result("new").get("sessionId").asText();
        HttpResponse<String> rest =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/sessions/" + id))
                        .header("X-Secret-Key", SECRET)
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(rest.statusCode()).isEqualTo(404);
        // goose's health probe answers without credentials, as /status does.
        HttpResponse<String> health =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/health"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
      }
    }
  }

  private Path workDir() throws Exception {
    Files.createDirectories(root.resolve("home"));
    return Files.createDirectories(root.resolve("work")).toRealPath();
  }
}

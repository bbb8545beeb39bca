package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import goose.approval.SecretCorpus;
import goose.json.Json;
import goose.provider.fake.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The audit never shows a secret given on a command line, through a real server: the model asks for
 * one shell call per command of {@link SecretCorpus}; the session is in chat mode, so every call is
 * refused (nothing runs) but each is audited, in {@code GET /audit} and the log.
 */
@Timeout(120)
// Reads the log of a server started in this JVM: logback is one per JVM, and every in-process
// server start resets it, so no other class runs beside this one.
@Isolated
class AuditRedactionTest {
  @TempDir Path root;
  private FakeOpenAiServer openai;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (openai != null) openai.close();
  }

  @Test
  void noSecretOfTheCorpusReachesTheAuditOrTheLog() throws Exception {
    openai = new FakeOpenAiServer();
    server = TestServer.start(root, TestServer.withProvider(openai));
    String session =
        server.client.post("/sessions", "{\"cwd\":\"" + root + "\"}").json().get("id").asText();
    server.client.patch("/sessions/" + session, "{\"mode\":\"chat\"}").json();
    List<String> commands = SecretCorpus.COMMANDS;
    var script = FakeOpenAiServer.script();
    for (int i = 0; i < commands.size(); i++) {
      String arguments =
          Json.write(Json.object().set("command", TextNode.valueOf(commands.get(i))));
      script.toolCall(i, "call_" + i, "developer__shell", arguments);
    }
    openai.enqueue(script.build());
    openai.enqueue(FakeOpenAiServer.text("done"));
    try (SseClient sse =
        SseClient.post(
            server.server.uri(), "/sessions/" + session + "/messages", "{\"content\":\"go\"}")) {
      assertThat(sse.untilComplete().getLast().data().get("stop_reason").asText())
          .isEqualTo("end_turn");
    }

    JsonNode entries = server.client.get("/audit?limit=500").json().get("entries");
    assertThat(entries).hasSize(commands.size());
    for (JsonNode e : entries) {
      assertThat(e.get("decision").asText()).isEqualTo("denied");
      assertThat(e.at("/arguments/command").asText())
          .as("audited command")
          .doesNotContain(SecretCorpus.MARKER)
          .contains("[REDACTED]");
    }
    server.close();
    StringBuilder logs = new StringBuilder();
    try (var files = Files.list(server.config.paths().logsDir())) {
      for (Path f : files.toList()) logs.append(Files.readString(f));
    }
    assertThat(logs.toString()).contains("tool call user=").doesNotContain(SecretCorpus.MARKER);
    server = null;
  }
}

package goose.cli.acp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.provider.fake.FakeAnthropicServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** goose's {@code _goose/unstable/} methods that its chat screens need, and nothing pretended. */
class AcpGooseMethodsTest {
  @TempDir Path root;

  @Test
  void theChatScreensMethodsAnswerAndOthersAreNotFound() throws Exception {
    try (AcpTestServer goosed = AcpTestServer.start(root, Map.of())) {
      goosed.anthropic.enqueue(FakeAnthropicServer.text("Worth keeping."));
      Path cwd = goosed.cwd;
      try (RawAcpSocket acp = RawAcpSocket.open(goosed.ws(""), Map.of())) {
        assertThat(
                acp.call("_goose/unstable/config/read", Json.object().put("key", "GOOSE_PROVIDER"))
                    .get("value")
                    .asText())
            .isEqualTo("anthropic");
        JsonNode secret =
            acp.call("_goose/unstable/config/read", Json.object().put("key", "ANTHROPIC_API_KEY"));
        assertThat(secret.get("value").asBoolean()).isTrue();
        assertThat(secret.toString()).doesNotContain("sk-ant-test");
        assertThat(
                acp.call(
                        "_goose/unstable/config/read", Json.object().put("key", "NOT_SET_ANYWHERE"))
                    .get("value")
                    .isNull())
            .isTrue();

        JsonNode providers =
            acp.call("_goose/unstable/providers/list", Json.object()).get("entries");
        JsonNode anthropicEntry = null;
        for (JsonNode e : providers)
          if (e.get("providerId").asText().equals("anthropic")) anthropicEntry = e;
        assertThat(anthropicEntry).isNotNull();
        assertThat(anthropicEntry.get("configured").asBoolean()).isTrue();
        assertThat(anthropicEntry.get("defaultModel").asText()).isEqualTo("claude-sonnet-4-5");

        JsonNode extensions =
            acp.call("_goose/unstable/config/extensions/list", Json.object()).get("extensions");
        assertThat(extensions.findValuesAsText("name")).contains("developer", "memory", "todo");

        String id =
            acp.call("session/new", Json.object().put("cwd", cwd.toString()))
                .get("sessionId")
                .asText();
        acp.call("session/prompt", promptOf(id, "keep this"));
        acp.notifications.clear();
        acp.call(
            "_goose/unstable/session/rename",
            Json.object().put("sessionId", id).put("title", "Kept"));
        assertThat(acp.notifications.toString()).contains("session_info_update", "Kept");
        JsonNode listed = acp.call("session/list", Json.object()).get("sessions").get(0);
        assertThat(listed.get("title").asText()).isEqualTo("Kept");
        assertThat(listed.at("/_meta/userSetName").asBoolean()).isTrue();

        String data =
            acp.call("_goose/unstable/session/export", Json.object().put("sessionId", id))
                .get("data")
                .asText();
        assertThat(data).contains("keep this", "Worth keeping.");
        JsonNode imported =
            acp.call(
                "_goose/unstable/session/import",
                Json.object().put("input", data).put("source", "json"));
        assertThat(imported.get("sessionId").asText()).isNotEqualTo(id);
        assertThat(imported.get("title").asText()).isEqualTo("Kept");
        assertThat(imported.get("messageCount").asLong()).isEqualTo(2);
        JsonNode bad =
            acp.request("_goose/unstable/session/import", Json.object().put("input", "{}"))
                .get(30, TimeUnit.SECONDS);
        assertThat(bad.at("/error/code").asInt()).isEqualTo(-32602);

        for (String method :
            new String[] {"_goose/unstable/session/archive", "_goose/other", "nonsense/method"}) {
          JsonNode answer = acp.request(method, Json.object()).get(30, TimeUnit.SECONDS);
          assertThat(answer.at("/error/code").asInt()).as(method).isEqualTo(-32601);
        }
      }
    }
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode promptOf(String id, String text) {
    var p = Json.object().put("sessionId", id);
    p.putArray("prompt").addObject().put("type", "text").put("text", text);
    return p;
  }
}

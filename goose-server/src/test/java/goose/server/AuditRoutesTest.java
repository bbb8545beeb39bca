package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.approval.AuditEntry;
import goose.approval.ToolDecision;
import goose.ids.Ids;
import goose.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /audit}: paging, filters, and administrators only. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditRoutesTest {
  @TempDir Path root;
  TestServer goosed;

  @BeforeEach
  void start() throws Exception {
    goosed = TestServer.start(root);
    for (int i = 0; i < 5; i++) {
      goosed
          .server
          .context()
          .audit()
          .record(
              new AuditEntry(
                  Ids.newId(),
                  Instant.now(),
                  i < 3 ? "alice" : "bob",
                  i % 2 == 0 ? "s-even" : "s-odd",
                  "call_" + i,
                  "developer__shell",
                  Json.object().put("command", "echo " + i),
                  ToolDecision.AUTO,
                  "success",
                  i));
    }
  }

  @AfterEach
  void stop() {
    goosed.close();
  }

  static List<String> calls(JsonNode page) {
    return java.util.stream.StreamSupport.stream(page.get("entries").spliterator(), false)
        .map(e -> e.get("call_id").asText())
        .toList();
  }

  @Test
  void pagesNewestFirstWithACursorAndFiltersByUserAndSession() {
    JsonNode first = goosed.client.get("/audit?limit=2").json();
    assertThat(calls(first)).containsExactly("call_4", "call_3");
    JsonNode second =
        goosed.client.get("/audit?limit=2&cursor=" + first.get("next_cursor").asText()).json();
    assertThat(calls(second)).containsExactly("call_2", "call_1");
    JsonNode third =
        goosed.client.get("/audit?limit=2&cursor=" + second.get("next_cursor").asText()).json();
    assertThat(calls(third)).containsExactly("call_0");
    assertThat(third.has("next_cursor")).isFalse();

    assertThat(calls(goosed.client.get("/audit?user=bob").json()))
        .containsExactly("call_4", "call_3");
    assertThat(calls(goosed.client.get("/audit?user=alice&session_id=s-even").json()))
        .containsExactly("call_2", "call_0");
    assertThat(goosed.client.get("/audit?cursor=not-a-cursor").error(400, "invalid_parameter"))
        .contains("cursor");
    assertThat(goosed.client.get("/audit?limit=0").error(400, "invalid_parameter"))
        .contains("limit");
  }

  @Test
  void aUserWhoIsNotAnAdministratorGets403() throws Exception {
    // The same data dir behind proxy authentication: alice is a user, root an administrator.
    goosed.close();
    goosed =
        TestServer.start(
            root,
            java.util.Map.of(
                "GOOSE_AUTH",
                "proxy",
                "GOOSE_TRUSTED_PROXIES",
                "127.0.0.1",
                "GOOSE_ADMIN_USERS",
                "root"));
    ApiClient.Response denied =
        goosed.client.send(
            "GET",
            "/audit",
            java.net.http.HttpRequest.BodyPublishers.noBody(),
            null,
            "X-Remote-User",
            "alice");
    assertThat(denied.error(403, "forbidden")).isNotBlank();
    assertThat(denied.body()).doesNotContain("call_");
    java.net.http.HttpResponse<Void> head =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(goosed.server.uri().resolve("/audit"))
                    .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .header("X-Remote-User", "alice")
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).as("HEAD checks the admin as GET does").isEqualTo(403);
    ApiClient.Response allowed =
        goosed.client.send(
            "GET",
            "/audit",
            java.net.http.HttpRequest.BodyPublishers.noBody(),
            null,
            "X-Remote-User",
            "root");
    assertThat(calls(allowed.json())).hasSize(5);
  }
}

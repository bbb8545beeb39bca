package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.approval.AuditEntry;
import goose.approval.ToolDecision;
import goose.ids.Ids;
import goose.json.Json;
import goose.server.api.ApiRouter;
import goose.server.audit.AuditRoutes;
import goose.server.http.ErrorMapping;
import goose.server.http.RequestUser;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.net.URI;
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
      goosed.server.context().audit().record(new AuditEntry(Ids.newId(), Instant.now(), i < 3 ? "alice" : "bob",
          i % 2 == 0 ? "s-even" : "s-odd", "call_" + i, "developer__shell", Json.object().put("command", "echo " + i),
          ToolDecision.AUTO, "success", i));
      Thread.sleep(2);
    }
  }

  @AfterEach
  void stop() {
    goosed.close();
  }

  static List<String> calls(JsonNode page) {
    return java.util.stream.StreamSupport.stream(page.get("entries").spliterator(), false).map(e -> e.get("call_id").asText()).toList();
  }

  @Test
  void pagesNewestFirstWithACursorAndFiltersByUserAndSession() {
    JsonNode first = goosed.client.get("/audit?limit=2").json();
    assertThat(calls(first)).containsExactly("call_4", "call_3");
    JsonNode second = goosed.client.get("/audit?limit=2&cursor=" + first.get("next_cursor").asText()).json();
    assertThat(calls(second)).containsExactly("call_2", "call_1");
    JsonNode third = goosed.client.get("/audit?limit=2&cursor=" + second.get("next_cursor").asText()).json();
    assertThat(calls(third)).containsExactly("call_0");
    assertThat(third.has("next_cursor")).isFalse();

    assertThat(calls(goosed.client.get("/audit?user=bob").json())).containsExactly("call_4", "call_3");
    assertThat(calls(goosed.client.get("/audit?user=alice&session_id=s-even").json())).containsExactly("call_2", "call_0");
    assertThat(goosed.client.get("/audit?cursor=not-a-cursor").error(400, "invalid_parameter")).contains("cursor");
    assertThat(goosed.client.get("/audit?limit=0").error(400, "invalid_parameter")).contains("limit");
  }

  @Test
  void aUserWhoIsNotAnAdministratorGets403() throws Exception {
    // The audit route of this server, behind a filter that makes every request a non-admin's (as an
    // authenticating filter would for a token without the admin flag).
    Javalin app = Javalin.create(cfg -> {
      cfg.jsonMapper(new JavalinJackson(Json.MAPPER, true));
      cfg.routes.before(ctx -> RequestUser.set(ctx, new RequestUser(ctx.header("X-Test-User"), "admin".equals(ctx.header("X-Test-User")))));
      ErrorMapping.install(cfg);
      ApiRouter.of(List.of(new AuditRoutes())).install(cfg.routes, goosed.server.context());
    }).start("127.0.0.1", 0);
    try {
      ApiClient client = new ApiClient(URI.create("http://127.0.0.1:" + app.port()));
      ApiClient.Response denied = client.send("GET", "/audit", java.net.http.HttpRequest.BodyPublishers.noBody(), null, "X-Test-User", "alice");
      assertThat(denied.error(403, "forbidden")).contains("administrators");
      assertThat(denied.body()).doesNotContain("call_");
      ApiClient.Response allowed = client.send("GET", "/audit", java.net.http.HttpRequest.BodyPublishers.noBody(), null, "X-Test-User", "admin");
      assertThat(calls(allowed.json())).hasSize(5);
    } finally {
      app.stop();
    }
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.provider.fake.FakeAnthropicServer;
import goose.user.UserStore;
import goose.user.UserStores;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the web UI needs from the server, without a browser: the page and its files (public, strict
 * CSP, ETags, nothing outside the UI's own files), the docs page's own policy, which answers may be
 * cached, {@code GET /info}, and the running turn and failed turns in {@code GET /sessions/{id}}.
 * The browser itself is tested by {@link WebUiBrowserTest}.
 *
 * <p>Two servers serve the tests that only read (or add a session no other test looks at): one in
 * tokens mode with a provider, one in none mode without; the turn test has its own.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebUiRoutesTest {
  @TempDir static Path shared;
  static FakeAnthropicServer anthropic;
  static TestServer withTokens;
  static TestServer withoutProvider;

  @TempDir Path root;

  @BeforeAll
  static void start() {
    anthropic = new FakeAnthropicServer();
    withTokens =
        TestServer.start(
            shared.resolve("tokens"),
            WebUiBrowserTest.provider(anthropic, Map.of("GOOSE_AUTH", "tokens")));
    withoutProvider = TestServer.start(shared.resolve("none"));
  }

  @AfterAll
  static void stop() {
    if (withTokens != null) withTokens.close();
    if (withoutProvider != null) withoutProvider.close();
    anthropic.close();
  }

  @Test
  void thePageAndItsFilesArePublicWithAStrictContentSecurityPolicy() {
    TestServer goosed = withTokens;
    ApiClient.Response page = goosed.client.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).contains("<meta name=\"goose-auth\" content=\"tokens\">");
    assertThat(page.body()).doesNotContain("{{").doesNotContain("<script>");
    String csp = page.header("Content-Security-Policy");
    assertThat(csp)
        .contains("default-src 'self'", "script-src 'self'", "connect-src 'self'")
        .contains("frame-ancestors 'none'", "object-src 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "*");

    ApiClient.Response app = goosed.client.get("/ui/app.js");
    assertThat(app.status()).isEqualTo(200);
    assertThat(app.header("Content-Type")).startsWith("text/javascript");
    assertThat(app.header("Content-Security-Policy")).isEqualTo(csp);
    String etag = app.header("ETag");
    assertThat(etag).matches("\"[0-9a-f]{24}\"");
    ApiClient.Response again = get(goosed, "/ui/app.js", "If-None-Match", etag);
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    for (String vendored : new String[] {"marked.esm.js", "purify.es.mjs", "highlight.min.js"}) {
      ApiClient.Response lib = goosed.client.get("/ui/" + vendored);
      assertThat(lib.status()).as(vendored).isEqualTo(200);
      assertThat(lib.header("Content-Type")).startsWith("text/javascript");
    }
    assertThat(goosed.client.get("/ui/hljs-dark.css").header("Content-Type"))
        .startsWith("text/css");
  }

  @Test
  void nothingButTheUisOwnFilesIsServed() {
    TestServer goosed = withoutProvider;
    for (String path :
        new String[] {
          "/ui/nope.js",
          "/ui/index.html", // the page is only served at /, with its placeholders filled
          "/ui/..%2Fbuild.properties",
          "/ui/%2e%2e%2fbuild.properties",
          "/ui/.hidden.js",
          "/ui/app.js.map",
          "/ui/App.JS",
          "/ui/build.properties"
        }) {
      ApiClient.Response r = goosed.client.get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.json().path("error").path("code").asText()).as(path).isEqualTo("not_found");
    }
  }

  @Test
  void theDocsPageCannotBeFramedAndRunsNoInlineScript() {
    TestServer goosed = withoutProvider;
    ApiClient.Response page = goosed.client.get("/docs");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.header("Content-Security-Policy"))
        .contains("frame-ancestors 'none'", "script-src 'self';", "object-src 'none'")
        .doesNotContain("unsafe-eval", "*");
    assertThat(page.body()).doesNotContain("<script>").contains("src=\"/docs/init.js\"");
    ApiClient.Response init = goosed.client.get("/docs/init.js");
    assertThat(init.status()).isEqualTo(200);
    assertThat(init.header("Content-Type")).startsWith("text/javascript");
    assertThat(init.body()).contains("SwaggerUIBundle(", "validatorUrl: null");
  }

  @Test
  void apiAnswersAreNotCachedButTheUisFilesAndEventStreamsKeepTheirOwnPolicy() throws Exception {
    TestServer goosed = withoutProvider;
    String id =
        goosed.client.post("/sessions", "{\"cwd\":\"" + root + "\"}").json().get("id").asText();
    for (String path : new String[] {"/sessions", "/sessions/" + id, "/info", "/sessions/nope"}) {
      assertThat(goosed.client.get(path).headers().get("Cache-Control"))
          .as(path)
          .containsExactly("no-store");
    }
    assertThat(goosed.client.get("/ui/app.js").headers().get("Cache-Control"))
        .containsExactly("no-cache");
    try (SseClient events = SseClient.get(goosed.server.uri(), "/sessions/" + id + "/events")) {
      assertThat(events.status).isEqualTo(200);
      assertThat(events.response.headers().allValues("Cache-Control"))
          .containsExactly("no-cache, no-transform");
    }
  }

  @Test
  void infoNamesTheUserTheProviderAndTheStoreButNoSecret() throws Exception {
    TestServer goosed = withTokens;
    String token;
    try (UserStore users = UserStores.open(goosed.config)) {
      token = users.add("carol", false).token();
    }
    assertThat(goosed.client.get("/info").status()).isEqualTo(401);
    ApiClient.Response r = get(goosed, "/info", "Authorization", "Bearer " + token);
    assertThat(r.status()).isEqualTo(200);
    JsonNode info = r.json();
    assertThat(info.get("user").asText()).isEqualTo("carol");
    assertThat(info.get("admin").asBoolean()).isFalse();
    assertThat(info.get("auth").asText()).isEqualTo("tokens");
    assertThat(info.get("provider").asText()).isEqualTo("anthropic");
    assertThat(info.get("model").asText()).isEqualTo("claude-fake");
    assertThat(info.get("store").asText()).isEqualTo("sqlite");
    assertThat(info.get("default_mode").asText()).isNotEmpty();
    assertThat(r.body())
        .doesNotContain("sk-ant-test")
        .doesNotContain(anthropic.baseUri().toString());
  }

  @Test
  void withoutAProviderInfoSaysSoByLeavingProviderAndModelOut() {
    TestServer goosed = withoutProvider;
    JsonNode info = goosed.client.get("/info").json();
    assertThat(info.has("provider")).isFalse();
    assertThat(info.has("model")).isFalse();
    assertThat(info.get("user").asText()).isEqualTo("local");
    assertThat(info.get("admin").asBoolean()).isTrue();
  }

  @Test
  void aSessionReadDuringATurnNamesTheTurnAndWhereItsEventsStart() throws Exception {
    try (FakeAnthropicServer anthropic = new FakeAnthropicServer();
        TestServer goosed =
            TestServer.start(root, WebUiBrowserTest.provider(anthropic, Map.of()))) {
      String id =
          goosed.client.post("/sessions", "{\"cwd\":\"" + root + "\"}").json().get("id").asText();
      anthropic.enqueue(FakeAnthropicServer.text("one ", "two "));
      JsonNode accepted = accept(goosed, id, "first");
      awaitComplete(goosed, id, accepted);
      JsonNode idle = goosed.client.get("/sessions/" + id).json();
      assertThat(idle.has("running_turn")).isFalse();
      long lastSeq = idle.get("last_event_seq").asLong();
      assertThat(lastSeq).isGreaterThan(accepted.get("first_seq").asLong()); // chunks + complete

      anthropic.enqueue(
          FakeAnthropicServer.text("a ", "b ", "c ").withFirstByteDelay(Duration.ofSeconds(3)));
      JsonNode second = accept(goosed, id, "second");
      JsonNode running = goosed.client.get("/sessions/" + id).json();
      assertThat(running.get("running_turn").get("id").asText())
          .isEqualTo(second.get("turn_id").asText());
      assertThat(running.get("running_turn").get("first_seq").asLong())
          .isEqualTo(second.get("first_seq").asLong())
          .isEqualTo(lastSeq + 1);
      assertThat(running.get("messages").get(running.get("messages").size() - 1).toString())
          .contains("second");
      awaitComplete(goosed, id, second);
      assertThat(goosed.client.get("/sessions/" + id).json().get("turn_errors")).isEmpty();

      // A failed turn: its turn_error is in the detail (the messages do not say why it failed).
      anthropic.enqueue(
          FakeAnthropicServer.error(400, Map.of(), "invalid_request_error", "refused by fake"));
      JsonNode third = accept(goosed, id, "third");
      awaitComplete(goosed, id, third);
      JsonNode failed = goosed.client.get("/sessions/" + id).json();
      JsonNode errors = failed.get("turn_errors");
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0).get("message").asText()).contains("refused by fake");
      assertThat(errors.get(0).get("code").asText()).isNotEmpty();
      assertThat(errors.get(0).get("turn_id").asText()).isEqualTo(third.get("turn_id").asText());
      assertThat(errors.get(0).get("seq").asLong())
          .isBetween(third.get("first_seq").asLong(), failed.get("last_event_seq").asLong());
      JsonNode messages = failed.get("messages");
      assertThat(Instant.parse(errors.get(0).get("created_at").asText()))
          .isAfterOrEqualTo(
              Instant.parse(messages.get(messages.size() - 1).get("created_at").asText()));
    }
  }

  private static ApiClient.Response get(
      TestServer goosed, String path, String header, String value) {
    return goosed.client.send(
        "GET", path, HttpRequest.BodyPublishers.noBody(), null, header, value);
  }

  private static JsonNode accept(TestServer goosed, String id, String text) {
    ApiClient.Response r =
        goosed.client.send(
            "POST",
            "/sessions/" + id + "/messages",
            HttpRequest.BodyPublishers.ofString("{\"content\":\"" + text + "\"}"),
            "application/json",
            "Accept",
            "application/json");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json();
  }

  /** Follows the turn's events until its message_complete. */
  private static void awaitComplete(TestServer goosed, String id, JsonNode accepted)
      throws Exception {
    long after = accepted.get("first_seq").asLong() - 1;
    try (SseClient events =
        SseClient.get(goosed.server.uri(), "/sessions/" + id + "/events?after=" + after)) {
      while (true) {
        SseClient.Event e =
            events.next().orElseThrow(() -> new AssertionError("stream ended before the turn"));
        if (e.name().equals("message_complete")) return;
      }
    }
  }
}

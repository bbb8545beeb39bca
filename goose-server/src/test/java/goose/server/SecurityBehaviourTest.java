package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.provider.fake.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Proxy trust by peer address, the per-user limits, CORS and the workspaces root, on real servers.
 */
@Timeout(120)
// Reads the log of a server started in this JVM: logback is one per JVM, and every in-process
// server start resets it, so no other class runs beside this one.
@Isolated
class SecurityBehaviourTest {
  @TempDir Path root;
  private TestServer server;
  private FakeOpenAiServer openai;

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (openai != null) openai.close();
  }

  private TestServer start(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    server = TestServer.start(root, env);
    return server;
  }

  private Exchange call(String method, String path, String body, String... headers) {
    return Exchange.send(server.server.uri(), method, path, body, headers);
  }

  @Test
  void theProxyHeaderIsBelievedOnlyFromATrustedPeer() {
    start("GOOSE_AUTH", "proxy", "GOOSE_TRUSTED_PROXIES", "10.9.9.9, ::2");
    Exchange refused = call("GET", "/sessions", null, "X-Remote-User", "alice");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.isJsonError("unauthorized")).isTrue();
    assertThat(refused.body()).contains("GOOSE_TRUSTED_PROXIES");
    assertThat(call("GET", "/status", null).status()).isEqualTo(200);
    server.close();

    start("GOOSE_AUTH", "proxy", "GOOSE_TRUSTED_PROXIES", "127.0.0.1");
    assertThat(call("GET", "/sessions", null, "X-Remote-User", "alice").status()).isEqualTo(200);
    assertThat(call("GET", "/sessions", null).status()).as("the proxy sent no user").isEqualTo(401);
    assertThat(call("GET", "/sessions", null, "X-Remote-User", "a/../b").status()).isEqualTo(401);
    Exchange twoUsers =
        call("GET", "/sessions", null, "X-Remote-User", "alice", "X-Remote-User", "root");
    assertThat(twoUsers.status()).as("which one the proxy checked is unknown").isEqualTo(401);
    assertThat(twoUsers.body()).contains("sent 2 times");
  }

  @Test
  void theSecretIsTheOnlyCredentialOfSecretMode() throws Exception {
    String secret = "a-long-enough-secret-value";
    start("GOOSE_AUTH", "secret", "GOOSE_SERVER__SECRET_KEY", secret);
    assertThat(call("GET", "/sessions", null, "x-secret-key", secret).status()).isEqualTo(200);
    assertThat(call("GET", "/sessions", null, "Authorization", "Bearer " + secret).status())
        .isEqualTo(401);
    assertThat(
            call("GET", "/sessions", null, "X-Secret-Key", secret, "X-Secret-Key", "other")
                .status())
        .as("a credential sent twice")
        .isEqualTo(401);
    Exchange wrong = call("GET", "/sessions", null, "X-Secret-Key", secret.substring(1));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain(secret.substring(1));
    server.close();
    assertThat(logs())
        .as("the secret is never logged")
        .isNotBlank()
        .doesNotContain(secret)
        .doesNotContain(secret.substring(1));
  }

  /** Everything the server logged to its log files. */
  private String logs() throws java.io.IOException {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(server.config.paths().logsDir())) {
      for (Path f : files.toList()) all.append(Files.readString(f));
    }
    return all.toString();
  }

  @Test
  void eachUserHasARateLimitAnsweredWith429AndRetryAfter() {
    start(
        "GOOSE_AUTH",
        "proxy",
        "GOOSE_TRUSTED_PROXIES",
        "127.0.0.1",
        "GOOSE_RATE_LIMIT",
        "0.5",
        "GOOSE_RATE_BURST",
        "3");
    for (int i = 0; i < 3; i++)
      assertThat(call("GET", "/sessions", null, "X-Remote-User", "alice").status()).isEqualTo(200);
    Exchange limited = call("GET", "/sessions", null, "X-Remote-User", "alice");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.isJsonError("too_many_requests")).isTrue();
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
    assertThat(limited.body()).contains("GOOSE_RATE_LIMIT");
    assertThat(call("GET", "/sessions", null, "X-Remote-User", "bob").status())
        .as("another user has its own bucket")
        .isEqualTo(200);
    assertThat(call("GET", "/status", null).status()).as("/status is never limited").isEqualTo(200);
  }

  @Test
  void aUserMayRunOnlySoManyTurnsAtOnce() throws Exception {
    openai = new FakeOpenAiServer();
    start(
        "GOOSE_PROVIDER",
        "openai",
        "OPENAI_HOST",
        openai.baseUri().toString(),
        "OPENAI_API_KEY",
        "sk-test",
        "GOOSE_MAX_TURNS_PER_USER",
        "1");
    String first =
        server.client.post("/sessions", "{\"cwd\":\"" + root + "\"}").json().get("id").asText();
    String second =
        server.client.post("/sessions", "{\"cwd\":\"" + root + "\"}").json().get("id").asText();
    openai.enqueue(FakeOpenAiServer.text("slow").withFirstByteDelay(Duration.ofSeconds(30)));
    Exchange running =
        call(
            "POST",
            "/sessions/" + first + "/messages",
            "{\"content\":\"one\"}",
            "Accept",
            "application/json");
    assertThat(running.status()).isEqualTo(202);

    Exchange refused =
        call(
            "POST",
            "/sessions/" + second + "/messages",
            "{\"content\":\"two\"}",
            "Accept",
            "application/json");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.isJsonError("too_many_requests")).isTrue();
    assertThat(refused.header("Retry-After")).isEqualTo("5");
    assertThat(refused.body()).contains("GOOSE_MAX_TURNS_PER_USER");
    assertThat(server.client.get("/sessions/" + second).json().get("message_count").asInt())
        .as("nothing stored")
        .isZero();

    assertThat(
            server
                .client
                .post("/sessions/" + first + "/cancel", "")
                .json()
                .get("cancelled")
                .asBoolean())
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !server.server.context().turns().isRunning(first));
    openai.enqueue(FakeOpenAiServer.text("fine"));
    assertThat(
            call(
                    "POST",
                    "/sessions/" + second + "/messages",
                    "{\"content\":\"two\"}",
                    "Accept",
                    "application/json")
                .status())
        .isEqualTo(202);
  }

  @Test
  void corsIsOffByDefaultAndForeignWritesAreRefused() {
    start();
    Exchange preflight =
        call(
            "OPTIONS",
            "/sessions",
            null,
            "Origin",
            "https://evil.example",
            "Access-Control-Request-Method",
            "POST");
    assertThat(preflight.status()).isEqualTo(403);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    Exchange read = call("GET", "/sessions", null, "Origin", "https://evil.example");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("Access-Control-Allow-Origin"))
        .as("the browser will not let the page read it")
        .isNull();
    Exchange write =
        call("POST", "/sessions", "{\"cwd\":\"" + root + "\"}", "Origin", "https://evil.example");
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.isJsonError("forbidden")).isTrue();
    assertThat(server.client.get("/sessions").json().get("sessions"))
        .as("nothing was created")
        .isEmpty();
    String own = "http://127.0.0.1:" + server.server.port();
    assertThat(call("POST", "/sessions", "{\"cwd\":\"" + root + "\"}", "Origin", own).status())
        .as("same origin")
        .isEqualTo(201);
  }

  @Test
  void listedOriginsGetExactCorsAnswersAndPreflights() {
    start(
        "GOOSE_CORS_ORIGINS",
        "https://app.example.com, http://localhost:5173",
        "GOOSE_SERVER__SECRET_KEY",
        "0123456789abcdef0123");
    Exchange preflight =
        call(
            "OPTIONS",
            "/sessions/x/messages",
            null,
            "Origin",
            "https://app.example.com",
            "Access-Control-Request-Method",
            "POST",
            "Access-Control-Request-Headers",
            "x-secret-key, content-type");
    assertThat(preflight.status()).as("answered before any credentials").isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin"))
        .isEqualTo("https://app.example.com");
    assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(preflight.header("Access-Control-Allow-Methods"))
        .contains("POST")
        .contains("PATCH")
        .contains("DELETE");
    assertThat(preflight.header("Access-Control-Allow-Headers"))
        .contains("X-Secret-Key")
        .contains("Authorization")
        .contains("Content-Type");
    assertThat(preflight.header("Vary")).contains("Origin");

    Exchange get =
        call(
            "GET",
            "/sessions",
            null,
            "Origin",
            "http://localhost:5173",
            "X-Secret-Key",
            "0123456789abcdef0123");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:5173");
    assertThat(get.header("Access-Control-Expose-Headers")).contains("Retry-After");
    Exchange unauthorized = call("GET", "/sessions", null, "Origin", "https://app.example.com");
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(unauthorized.header("Access-Control-Allow-Origin"))
        .as("the page can read the 401")
        .isEqualTo("https://app.example.com");
    assertThat(
            call(
                    "OPTIONS",
                    "/sessions",
                    null,
                    "Origin",
                    "https://app.example.com.evil.example",
                    "Access-Control-Request-Method",
                    "GET")
                .status())
        .isEqualTo(403);
  }

  @Test
  void aSessionsWorkingDirectoryMustLieInTheUsersWorkspaceAfterResolvingSymlinks()
      throws Exception {
    Path workspaces = Files.createDirectories(root.resolve("workspaces"));
    Path outside = Files.createDirectories(root.resolve("outside"));
    start(
        "GOOSE_AUTH",
        "proxy",
        "GOOSE_TRUSTED_PROXIES",
        "127.0.0.1",
        "GOOSE_WORKSPACES_ROOT",
        workspaces.toString());
    Exchange first = create("alice", workspaces.resolve("alice"));
    assertThat(first.status())
        .as("the user's workspace is created on first use: " + first.body())
        .isEqualTo(201);
    Path project = Files.createDirectories(workspaces.resolve("alice/project"));
    assertThat(create("alice", project).status()).isEqualTo(201);

    Path escape = Files.createSymbolicLink(workspaces.resolve("alice/escape"), outside);
    Exchange viaLink = create("alice", escape);
    assertThat(viaLink.status()).isEqualTo(400);
    assertThat(viaLink.isJsonError("invalid_field")).isTrue();
    assertThat(viaLink.body()).contains("'cwd'").contains("workspace");
    assertThat(create("alice", outside).status()).isEqualTo(400);
    Files.createDirectories(workspaces.resolve("bob"));
    Files.createDirectories(workspaces.resolve("alicex"));
    assertThat(create("alice", workspaces.resolve("alice/../bob")).status())
        .as("no climbing out with ..")
        .isEqualTo(400);
    assertThat(create("alice", workspaces.resolve("bob")).status())
        .as("not another user's workspace")
        .isEqualTo(400);
    assertThat(create("bob", workspaces.resolve("bob")).status()).isEqualTo(201);
    assertThat(create("alice", workspaces.resolve("alicex")).status())
        .as("a sibling sharing the prefix is outside")
        .isEqualTo(400);
  }

  private Exchange create(String user, Path cwd) {
    return call("POST", "/sessions", "{\"cwd\":\"" + cwd + "\"}", "X-Remote-User", user);
  }
}

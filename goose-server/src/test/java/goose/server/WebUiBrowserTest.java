package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import goose.provider.fake.FakeAnthropicServer;
import goose.user.UserStore;
import goose.user.UserStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The web UI end to end in a real headless Chromium: real servers on random ports (auth none;
 * tokens with two users; secret; proxy, without a provider), a fake Anthropic provider, and the
 * browser scenarios of testing/web-ui/ui.test.mjs (playwright-core driving Debian's chromium). The
 * script asks for what it needs on its stdout, one request a line, and this test answers {@code ok
 * REQUEST} on the script's stdin once it is done: {@code @fake NAME} queues the model reply of that
 * name on the fake provider, so every scenario gets exactly the replies it expects;
 * {@code @stop-server} stops the auth-none server and {@code @start-server} starts a new one on the
 * same data directory and port, as a restart of a server at a fixed address (two requests, so that
 * the page is seen while no server answers). The script also takes the README's screenshots: into
 * target/screenshots/ on every run, and into docs/images/ (the committed ones) when the build is
 * run with {@code -Dgoose.screenshots=update}, so an ordinary test run leaves the work tree clean.
 *
 * <p>Skipped only when chromium is not installed (Debian package {@code chromium}; CI installs it).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
// Chromium takes most of the CPU: alone, so neither it nor the classes beside it time out.
@Isolated
class WebUiBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path SCRIPTS = REPO.resolve("testing/web-ui");
  static final String SECRET = "web-ui-test-secret-0123456789";

  @TempDir Path root;
  @TempDir Path tokensRoot;
  @TempDir Path secretRoot;
  @TempDir Path proxyRoot;
  @TempDir Path work;

  @Test
  void theWebUiWorksInARealBrowser() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM),
        "chromium is not installed (apt-get install chromium): the browser tests of the web UI"
            + " are skipped");
    assertThat(SCRIPTS.resolve("node_modules/playwright-core"))
        .as("testing/web-ui is installed (bin/test runs npm ci there)")
        .isDirectory();
    // Only one (absent) program may be added as an extension: the page must show the refusal.
    Path allowlist = work.resolve("allowlist.yaml");
    Files.writeString(allowlist, "extensions:\n  - id: echo\n    command: node echo-server.js\n");
    try (FakeAnthropicServer anthropic = new FakeAnthropicServer();
        Restartable open =
            new Restartable(
                TestServer.start(
                    root, provider(anthropic, Map.of("GOOSE_ALLOWLIST", allowlist.toString()))));
        TestServer tokens =
            TestServer.start(tokensRoot, provider(anthropic, Map.of("GOOSE_AUTH", "tokens")));
        TestServer secret =
            TestServer.start(
                secretRoot,
                provider(
                    anthropic,
                    Map.of(
                        "GOOSE_AUTH",
                        "secret",
                        "GOOSE_SERVER__SECRET_KEY",
                        SECRET,
                        "GOOSE_SESSION_TITLES",
                        "true")));
        // Without a provider: a message it refuses must not be lost in the page.
        TestServer proxy =
            TestServer.start(
                proxyRoot, Map.of("GOOSE_AUTH", "proxy", "GOOSE_TRUSTED_PROXIES", "127.0.0.1"))) {
      String aliceToken;
      String bobToken;
      try (UserStore users = UserStores.open(tokens.config)) {
        aliceToken = users.add("alice", false).token();
        bobToken = users.add("bob", false).token();
      }
      createSession(tokens, bobToken, "Bob's secret plan");
      createSession(tokens, aliceToken, "Alice's notes");

      Map<String, String> env = new HashMap<>();
      env.put("GOOSE_URL", open.uri().toString());
      env.put("GOOSE_TOKENS_URL", tokens.server.uri().toString());
      env.put("ALICE_TOKEN", aliceToken);
      env.put("GOOSE_SECRET_URL", secret.server.uri().toString());
      env.put("SECRET_KEY", SECRET);
      env.put("GOOSE_PROXY_URL", proxy.server.uri().toString());
      env.put("WORK_DIR", work.toString());
      env.put("SCREENSHOT_DIR", screenshotDir().toString());
      env.put("CHROMIUM", CHROMIUM.toString());
      Run run =
          runScript(
              "ui.test.mjs",
              env,
              request -> {
                switch (request) {
                  case "stop-server" -> open.stop();
                  case "start-server" -> open.start();
                  default -> {
                    if (!request.startsWith("fake ")) {
                      throw new IllegalArgumentException("unknown request " + request);
                    }
                    queue(anthropic, request.substring(5).trim());
                  }
                }
              });
      assertThat(run.exitCode())
          .as("browser scenarios (output below)\n%s", String.join("\n", run.output()))
          .isZero();
      assertThat(run.output()).anyMatch(line -> line.startsWith("# pass "));
      assertThat(run.output()).contains("# fail 0");
    }
  }

  static Map<String, String> provider(FakeAnthropicServer anthropic, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("GOOSE_PROVIDER", "anthropic");
    env.put("ANTHROPIC_HOST", anthropic.baseUri().toString());
    env.put("ANTHROPIC_API_KEY", "sk-ant-test");
    env.put("GOOSE_MODEL", "claude-fake");
    env.put("max_retries", "0");
    return env;
  }

  private void createSession(TestServer server, String token, String name) throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(server.server.uri().resolve("/sessions"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"cwd\":\"" + work + "\",\"name\":\"" + name + "\"}"))
            .build();
    try (var http = java.net.http.HttpClient.newHttpClient()) {
      var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
  }

  /**
   * The auth-none server, which the script may stop and start again: a new server (its services
   * opened afresh, as by a new process) on the same data directory and port, so that the open
   * page's address stays valid.
   */
  static final class Restartable implements AutoCloseable {
    private TestServer current;

    Restartable(TestServer first) {
      this.current = first;
    }

    synchronized java.net.URI uri() {
      return current.server.uri();
    }

    synchronized void stop() {
      current.close();
    }

    synchronized void start() {
      current = current.restartOnSamePort();
    }

    @Override
    public synchronized void close() {
      current.close(); // idempotent: also after a stop without a start
    }
  }

  record Run(int exitCode, List<String> output) {}

  /** What the test does for one request line of the script (without its {@code @}). */
  @FunctionalInterface
  interface Requests {
    void handle(String request);
  }

  /**
   * Runs a script of testing/web-ui with node, handling its {@code @REQUEST} lines (answered {@code
   * ok REQUEST}, or {@code failed REQUEST: why}, so that the script fails with the reason instead
   * of waiting); its output goes to this test's output too.
   */
  static Run runScript(String script, Map<String, String> env, Requests requests)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("node", script).directory(SCRIPTS.toFile());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process node = pb.start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        OutputStream in = node.getOutputStream()) {
      String line;
      while ((line = out.readLine()) != null) {
        System.out.println("[web-ui] " + line);
        output.add(line);
        if (line.startsWith("@")) {
          String request = line.substring(1).trim();
          String answer;
          try {
            requests.handle(request);
            answer = "ok " + request;
          } catch (RuntimeException e) {
            answer = "failed " + request + ": " + e;
          }
          in.write((answer.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
          in.flush();
        }
      }
    } finally {
      if (!node.waitFor(30, TimeUnit.SECONDS)) node.destroyForcibly();
    }
    return new Run(node.waitFor(), output);
  }

  /** The model replies the browser scenarios ask for, by name. */
  static void queue(FakeAnthropicServer anthropic, String name) {
    switch (name) {
      case "hello" ->
          anthropic.enqueue(
              FakeAnthropicServer.text(
                  "Hello from **goose**.\n\n",
                  "Here is some code:\n\n```java\n",
                  "class Hello {\n  int answer() { return 42; }\n}\n",
                  "```\n\n",
                  "That is all."));
      case "hostile" ->
          anthropic.enqueue(
              FakeAnthropicServer.text(
                  "Watch this: <img src=x onerror=\"window.__pwned = 1\">",
                  "<script>window.__pwned = 2</script> [a link](javascript:window.__pwned=3)",
                  " ![remote](http://example.invalid/x.png)\n\n<div onclick=\"window.__pwned = 4\">x</div>",
                  "\n\nEnd of tricks."));
      case "titled" -> {
        anthropic.enqueue(FakeAnthropicServer.text("Start with tomatoes."));
        anthropic.enqueue(FakeAnthropicServer.text("Garden Plans")); // the title request's answer
      }
      case "tool" -> {
        anthropic.enqueue(
            FakeAnthropicServer.script()
                .text("Let me run that.")
                .toolUse("toolu_card", "developer__shell", "{\"command\":\"echo tool-card-ok\"}")
                .build());
        anthropic.enqueue(FakeAnthropicServer.text("The tool said tool-card-ok."));
      }
      case "approval" ->
          shellCallThenText(
              anthropic, "toolu_approve", "approved-ok", "It ran after your approval.");
      case "approval-restart" ->
          shellCallThenText(
              anthropic, "toolu_restart", "restarted-ok", "It ran after the restart.");
      case "slow" ->
          anthropic.enqueue(
              FakeAnthropicServer.text(words("w", 60)).withChunkDelay(Duration.ofMillis(100)));
      case "slow-v" ->
          anthropic.enqueue(
              FakeAnthropicServer.text(words("v", 60)).withChunkDelay(Duration.ofMillis(100)));
      case "stall" ->
          anthropic.enqueue(
              FakeAnthropicServer.text(words("s", 400)).withChunkDelay(Duration.ofMillis(100)));
      case "error" ->
          anthropic.enqueue(
              FakeAnthropicServer.error(
                  400, Map.of(), "invalid_request_error", "the fake provider refused this"));
      case "big" -> anthropic.enqueue(FakeAnthropicServer.text(bigReply(3_000)));
      default -> throw new IllegalArgumentException("no scripted reply named " + name);
    }
  }

  /**
   * A reply that only calls the shell to echo {@code output}, then {@code text} after its result.
   */
  private static void shellCallThenText(
      FakeAnthropicServer anthropic, String callId, String output, String text) {
    anthropic.enqueue(
        FakeAnthropicServer.script()
            .toolUse(callId, "developer__shell", "{\"command\":\"echo " + output + "\"}")
            .build());
    anthropic.enqueue(FakeAnthropicServer.text(text));
  }

  /** "w0 ", "w1 ", ...: a reply whose every chunk can be found exactly once in the page. */
  static String[] words(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i + " ").toArray(String[]::new);
  }

  /**
   * A long Markdown reply in {@code chunks} chunks: paragraphs, lists and code blocks, as a model
   * writes them; the last chunk is a marker the page waits for.
   */
  static String[] bigReply(int chunks) {
    String[] out = new String[chunks];
    for (int i = 0; i < chunks - 1; i++) {
      out[i] =
          switch (i % 50) {
            case 0 -> "\n\n## Part " + (i / 50) + "\n\n";
            case 10 -> "\n\n```python\n";
            case 20 -> "\n```\n\n";
            case 30 -> "\n\n- item ";
            case 40 -> "\n\n";
            default -> "word" + i + " ";
          };
    }
    out[chunks - 1] = "\n\nEND-OF-REPLY";
    return out;
  }

  /** Where the screenshots go: the committed docs/images/ only when asked, else target/. */
  private static Path screenshotDir() {
    return "update".equals(System.getProperty("goose.screenshots"))
        ? REPO.resolve("docs/images")
        : Path.of("target/screenshots").toAbsolutePath();
  }
}

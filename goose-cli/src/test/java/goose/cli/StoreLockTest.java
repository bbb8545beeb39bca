package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import goose.provider.fake.FakeExchange;
import goose.provider.fake.FakeOpenAiServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code goose server} processes on one data directory: the second is refused (exit 1,
 * naming the first one's pid) and the first one's running turn is untouched. Commands that only
 * read or copy the store still work while the server runs; the lock goes with the process, even
 * after {@code kill -9}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StoreLockTest {
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path root;
  FakeOpenAiServer openai;
  Map<String, String> env;

  @BeforeEach
  void setUp() {
    openai = new FakeOpenAiServer();
    env =
        Map.of(
            "GOOSE_PATH_ROOT", root.resolve("goose").toString(),
            "GOOSE_HOST", "127.0.0.1",
            "GOOSE_PORT", "0",
            "GOOSE_PROVIDER", "openai",
            "OPENAI_HOST", openai.baseUri().toString(),
            "OPENAI_API_KEY", "sk-test",
            // The stalled reply must outlast the steps before the cancel (a second server's start
            // and refusal, three commands): at a load of 40 they took more than 60 s, the fake's
            // stall (60 s at most; the reply is now held until the client hangs up) or the client's
            // 60 s without a byte ended the turn, and the cancel found nothing running.
            "API_TIMEOUT", "600");
  }

  @AfterEach
  void tearDown() {
    openai.close();
  }

  @Test
  void aSecondServerOnTheSameStoreExitsWith1NamingTheFirstAndLeavesItsTurnAlone() throws Exception {
    Path home = root.resolve("home");
    try (CliProcess first = CliProcess.start(home, env, "server")) {
      URI base = first.awaitListening(START);
      String id = Http.createSession(base, root);
      // The reply stalls after its first chunk: the turn runs until it is cancelled.
      FakeExchange stalled =
          openai.enqueue(FakeOpenAiServer.text("still ", "mine").stallAfter(2).heldBeforeEnding());
      assertThat(Http.post(base, "/sessions/" + id + "/messages", "{\"content\":\"go\"}").status())
          .isEqualTo(202);
      stalled.request(); // the turn is running: its provider request arrived

      assertThat(CliProcess.refusedSecondServer(home, env, first, START))
          .contains(root.resolve("goose/data/sessions/sessions.db").toString());

      // Reading and copying the store work beside the running server (the commands run in this
      // JVM: the server is the other process; the second server above is the one whose own start
      // and exit code are checked).
      CliRun cli = new CliRun(home);
      env.forEach(cli::env);
      CliRun.Result list = cli.run("session", "list");
      assertThat(list.exitCode()).as(list.err()).isZero();
      assertThat(list.out()).contains(id);
      CliRun.Result backup = cli.run("session", "backup", root.resolve("b.db").toString());
      assertThat(backup.exitCode()).as(backup.err()).isZero();
      // Moving the store to PostgreSQL while a server writes it would lose writes: refused.
      CliRun.Result migrate = cli.run("session", "migrate", "--to", "postgresql://u@127.0.0.1:1/x");
      assertThat(migrate.exitCode()).isEqualTo(ExitCodes.FAILURE);
      assertThat(migrate.err()).contains("already in use by pid " + first.pid());

      assertThat(
              Http.post(base, "/sessions/" + id + "/cancel", "{}")
                  .json()
                  .get("cancelled")
                  .asBoolean())
          .as(() -> "the first server's turn was still running; its log:\n" + first.err())
          .isTrue();
      assertThat(eventsUntilComplete(base, id))
          .as("no 'interrupted' closing by the refused second server")
          .doesNotContain("event: error")
          .contains("\"stop_reason\":\"cancelled\"");
      assertThat(first.terminate(START)).isZero();
    }

    // A clean stop released the lock; so does kill -9 (the OS drops the lock with the process).
    try (CliProcess again = CliProcess.start(home, env, "server")) {
      again.awaitListening(START);
      again.kill();
    }
    try (CliProcess afterKill = CliProcess.start(home, env, "server")) {
      URI base = afterKill.awaitListening(START);
      assertThat(Http.get(base, "/status").status()).isEqualTo(200);
      assertThat(Files.readString(root.resolve("goose/data/sessions/sessions.db.lock")).strip())
          .isEqualTo(String.valueOf(afterKill.pid()));
    }
  }

  /** The session's whole event log as SSE text, read until its first message_complete. */
  private static String eventsUntilComplete(URI base, String id) {
    try {
      var request =
          java.net.http.HttpRequest.newBuilder(base.resolve("/sessions/" + id + "/events"))
              .header("Accept", "text/event-stream")
              .build();
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
      StringBuilder sb = new StringBuilder();
      try (var lines = response.body()) {
        boolean complete = false;
        for (String line : (Iterable<String>) lines::iterator) {
          sb.append(line).append('\n');
          if (line.equals("event: message_complete")) complete = true;
          else if (complete && line.startsWith("data: ")) break;
        }
      }
      return sb.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.provider.fake.FakeExchange;
import goose.provider.fake.FakeOpenAiServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One SQLite store, several processes: a real {@code goose server} and real {@code goose acp}
 * processes (as editors start them) on the same data directory. Sessions made over ACP are the
 * server's; a turn running in an acp process is followed live over the server's SSE and cancelled
 * through its REST API; two acp processes work at once and a starting one leaves the other's turn
 * alone; a {@code kill -9} of an acp process mid-turn leaves the turn to the server, which closes
 * it once its lease lapses, and the session is usable again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SharedSqliteStoreTest {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path root;
  FakeOpenAiServer openai;
  Map<String, String> baseEnv;
  Path home;
  Path cwd;

  @BeforeEach
  void setUp() throws Exception {
    openai = new FakeOpenAiServer();
    home = root.resolve("home");
    cwd = Files.createDirectories(root.resolve("project"));
    baseEnv =
        Map.of(
            "GOOSE_PATH_ROOT", root.resolve("goose").toString(),
            "GOOSE_HOST", "127.0.0.1",
            "GOOSE_PORT", "0",
            "GOOSE_PROVIDER", "openai",
            "OPENAI_HOST", openai.baseUri().toString(),
            "OPENAI_API_KEY", "sk-test",
            // A stalled reply must outlast the steps before its cancel (other processes' starts):
            // at a load of 40-54 they took more than 60 s, the fake ended its stall (60 s at most;
            // the replies are now held until the client hangs up) or the client's default 60 s
            // without a byte ended the turn, and the cancel answered "cancelled": false.
            "API_TIMEOUT", "600");
  }

  /**
   * {@link #baseEnv} with turn leases of {@code seconds}. Short leases (2 s) close a killed
   * process's turn within seconds; a lease also lapses when its live process gets no CPU for that
   * long (its heartbeat renews every quarter lease), which under nice at a load of 40-54 is not out
   * of reach, and the process then closes its own turn (fenced). The test of live processes uses a
   * lease no stall reaches; its cancels do not wait for it (they travel as signals, polled every
   * 100 ms).
   */
  private Map<String, String> withLease(int seconds) {
    Map<String, String> withLease = new java.util.HashMap<>(baseEnv);
    withLease.put("GOOSE_TURN_LEASE", String.valueOf(seconds));
    return withLease;
  }

  @AfterEach
  void tearDown() {
    openai.close();
  }

  @Test
  void acpProcessesAndAServerShareSessionsTurnsAndCancels() throws Exception {
    Map<String, String> env = withLease(60);
    try (CliProcess server = CliProcess.start(home, env, "server");
        AcpProcess editor = AcpProcess.start(home, env)) {
      URI base = server.awaitListening(START);
      String id = editor.newSession(cwd, START);
      assertThat(Http.get(base, "/sessions").body())
          .as("made over ACP, listed by REST")
          .contains(id);

      try (SseFollower sse = SseFollower.follow(base, id)) {
        // The reply stalls after its first chunk: the turn runs in the acp process until cancelled.
        FakeExchange stalled =
            openai.enqueue(
                FakeOpenAiServer.text("from ", "the editor").stallAfter(2).heldBeforeEnding());
        CompletableFuture<JsonNode> prompt = editor.prompt(id, "go");
        stalled.request();
        sse.await(
            e -> e.name().equals("message_chunk") && e.data().toString().contains("from "),
            WAIT,
            "the acp turn's chunk on the server's SSE");

        // A second editor window starts meanwhile: it must leave the running turn alone.
        try (AcpProcess second = AcpProcess.start(home, env)) {
          String other = second.newSession(cwd, START);
          openai.enqueue(FakeOpenAiServer.text("second ", "window"));
          JsonNode answer = second.prompt(other, "hello").get(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(answer.at("/result/stopReason").asText())
              .as(answer.toString())
              .isEqualTo("end_turn");
          JsonNode listed = second.call("session/list", Json.object(), WAIT).get("sessions");
          assertThat(listed.toString()).contains(id, other);
          assertThat(Http.get(base, "/sessions/" + other).body()).contains("second window");
          assertThat(second.endInput(WAIT)).as(second.err()).isZero();
        }
        assertThat(prompt).as("the first editor's turn still runs").isNotDone();

        // A second server is still refused, acp processes or not.
        CliProcess.refusedSecondServer(home, env, server, START);

        // Cancel through the server's REST API: the turn in the acp process stops.
        assertThat(
                Http.post(base, "/sessions/" + id + "/cancel", "{}")
                    .json()
                    .get("cancelled")
                    .asBoolean())
            .as(
                () ->
                    "the acp turn was still running; server:\n"
                        + server.err()
                        + "\neditor:\n"
                        + editor.err())
            .isTrue();
        JsonNode answer = prompt.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.at("/result/stopReason").asText())
            .as(answer.toString())
            .isEqualTo("cancelled");
        assertThat(sse.awaitComplete(1, WAIT).data().get("stop_reason").asText())
            .isEqualTo("cancelled");
        assertThat(stalled.clientClosedEarly())
            .as("the provider call in the acp process was cut")
            .isTrue();
      }

      // And the other way round: a turn the server runs is cancelled from the editor.
      FakeExchange serverTurn =
          openai.enqueue(FakeOpenAiServer.text("server ", "side").stallAfter(2).heldBeforeEnding());
      assertThat(
              Http.post(base, "/sessions/" + id + "/messages", "{\"content\":\"again\"}").status())
          .isEqualTo(202);
      serverTurn.request();
      editor.notify("session/cancel", Json.object().put("sessionId", id));
      awaitTurnEnded(base, id);
      assertThat(serverTurn.clientClosedEarly()).isTrue();
      assertThat(server.terminate(START)).isZero();

      // Copying the store to PostgreSQL while an editor's goose acp may write it: refused (the
      // command runs in this JVM; the acp process is the other one).
      CliRun cli = new CliRun(home);
      env.forEach(cli::env);
      CliRun.Result migrate = cli.run("session", "migrate", "--to", "postgresql://u@127.0.0.1:1/x");
      assertThat(migrate.exitCode()).isEqualTo(ExitCodes.FAILURE);
      assertThat(migrate.err()).contains("in use by other goose processes", "goose acp");
    }
  }

  @Test
  void aKilledAcpProcessesTurnIsClosedByTheServerOnceItsLeaseLapses() throws Exception {
    Map<String, String> env = withLease(2);
    try (CliProcess server = CliProcess.start(home, env, "server");
        AcpProcess editor = AcpProcess.start(home, env)) {
      URI base = server.awaitListening(START);
      String id = editor.newSession(cwd, START);
      try (SseFollower sse = SseFollower.follow(base, id)) {
        FakeExchange stalled =
            openai.enqueue(FakeOpenAiServer.text("half ", "way").stallAfter(2).heldBeforeEnding());
        CompletableFuture<JsonNode> prompt = editor.prompt(id, "go");
        stalled.request();
        sse.await(e -> e.name().equals("message_chunk"), WAIT, "the acp turn's first chunk");

        editor.kill();
        assertThat(prompt).as("the editor's process is gone").failsWithin(WAIT);
        SseFollower.Event end = sse.awaitComplete(1, WAIT);
        assertThat(sse.names()).contains("turn_error");
        assertThat(
                sse.events().stream()
                    .filter(e -> e.name().equals("turn_error"))
                    .findFirst()
                    .orElseThrow()
                    .data()
                    .toString())
            .contains("interrupted");
        assertThat(end.data().get("stop_reason").asText()).isEqualTo("error");
      }
      assertThat(server.err()).contains("stopped renewing the lease");

      // The session is usable again, from the server.
      openai.enqueue(FakeOpenAiServer.text("usable ", "again"));
      assertThat(
              Http.post(base, "/sessions/" + id + "/messages", "{\"content\":\"still there?\"}")
                  .status())
          .isEqualTo(202);
      awaitTurnEnded(base, id);
      assertThat(Http.get(base, "/sessions/" + id).body()).contains("usable again");
      assertThat(server.terminate(START)).isZero();
    }
  }

  /** Waits until the session has no running turn (a new turn would not be refused). */
  private static void awaitTurnEnded(URI base, String id) {
    await("the end of the turn of session " + id)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !Http.get(base, "/sessions/" + id).json().has("running_turn"));
  }
}

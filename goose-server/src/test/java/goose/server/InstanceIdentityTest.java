package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.config.ConfigException;
import goose.provider.fake.FakeOpenAiServer;
import goose.session.InstanceRegistry;
import goose.session.TestPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instance ids on a shared PostgreSQL, with real servers: a live id cannot be used twice, and a
 * process that reuses the id of one killed with {@code kill -9} does not keep the dead one's turn
 * alive. That two instances started together get different generated ids (the id once held time
 * bits only, so they collided) and that the survivor of a kill closes the dead one's turn is {@link
 * MultiInstanceTest}'s kill test, which runs without configured ids.
 *
 * <p>The instance that is killed is a process of its own ({@link ServerProcess}); the others (the
 * live holder of an id, the start it refuses, the restart) run in this JVM, as in {@link
 * MultiInstanceTest}: they share nothing with the process but the database, and a server start in
 * this JVM costs a fraction of a JVM's (a server JVM here: 3-6 s of CPU without the class archive).
 * The refused start throws the {@link ConfigException} that a server's main prints as it exits;
 * that a failed start exits non-zero is the main's business, not the instance registry's.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class InstanceIdentityTest {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path root;
  FakeOpenAiServer openai;
  String databaseUrl;

  @BeforeEach
  void setUp() {
    openai = new FakeOpenAiServer();
    databaseUrl = postgres.newDatabaseUrl();
  }

  @AfterEach
  void tearDown() {
    openai.close();
  }

  Map<String, String> env(String instanceId) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_DATABASE_URL", databaseUrl);
    env.put("GOOSE_TURN_LEASE", "2");
    env.put("GOOSE_PROVIDER", "openai");
    env.put("OPENAI_HOST", openai.baseUri().toString());
    env.put("OPENAI_API_KEY", "sk-test");
    env.put("GOOSE_INSTANCE_ID", instanceId);
    return env;
  }

  @Test
  void aConfiguredIdHeldByALiveInstanceIsRefusedAndTheFirstServesOn() throws Exception {
    try (TestServer first = TestServer.start(root.resolve("first"), env("web-0"))) {
      // The second start fails as the server's main would, with the error it would print and exit
      // on; it waits for the registration to lapse first (6 s of wall time here, little CPU).
      assertThatThrownBy(() -> TestServer.start(root.resolve("second"), env("web-0")).close())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(
              "GOOSE_INSTANCE_ID web-0 is in use by a live instance (pid "
                  + ProcessHandle.current().pid());
      assertThat(first.client.get("/status").status()).isEqualTo(200);
      assertThat(registered()).extracting(InstanceRegistry.Instance::id).containsExactly("web-0");
    }
  }

  @Test
  void aRestartWithTheIdOfAKilledInstanceClosesItsTurnInsteadOfRenewingIt() throws Exception {
    String id;
    try (ServerProcess before = ServerProcess.start(root.resolve("before"), env("web-0"))) {
      ApiClient client = before.awaitStarted(START);
      id = runAToolTurnOn(client, client);
      before.kill();
    }
    try (TestServer after = TestServer.start(root.resolve("after"), env("web-0"))) {
      awaitTurnClosed(after.server.uri(), id);
      openai.enqueue(FakeOpenAiServer.text("usable again"));
      try (SseClient next = MultiInstanceTest.sendOn(after, id, "again")) {
        assertThat(next.untilComplete().getLast().data().get("stop_reason").asText())
            .isEqualTo("end_turn");
      }
    }
  }

  private List<InstanceRegistry.Instance> registered() {
    return MultiInstanceTest.registered(databaseUrl);
  }

  /**
   * Creates a session and starts, on {@code runner}, a turn that waits in a two-minute tool call;
   * returns once {@code watcher} has seen the tool call. The session's id.
   */
  private String runAToolTurnOn(ApiClient runner, ApiClient watcher) throws Exception {
    String id =
        watcher
            .post("/sessions", "{\"cwd\":" + goose.json.Json.write(root.toString()) + "}")
            .json()
            .get("id")
            .asText();
    openai.enqueue(
        FakeOpenAiServer.script()
            .text("Let me wait.")
            .toolCall(0, "call_1", "developer__shell", "{\"command\":", "\"sleep 120\"}")
            .build());
    assertThat(
            runner
                .send(
                    "POST",
                    "/sessions/" + id + "/messages",
                    HttpRequest.BodyPublishers.ofString("{\"content\":\"wait\"}"),
                    "application/json",
                    "Accept",
                    "application/json")
                .status())
        .isEqualTo(202);
    try (SseClient events = MultiInstanceTest.followOn(watcher.base(), id)) {
      SseClient.Event e;
      do {
        e = MultiInstanceTest.nextEvent(events);
      } while (!e.name().equals("tool_call"));
    }
    return id;
  }

  /** Follows the session on {@code survivor} until the dead turn's message_complete (error). */
  private static void awaitTurnClosed(URI survivor, String id) throws Exception {
    try (SseClient events = MultiInstanceTest.followOn(survivor, id)) {
      SseClient.Event e;
      do {
        e = MultiInstanceTest.nextEvent(events);
      } while (!e.name().equals("message_complete"));
      assertThat(e.data().get("stop_reason").asText()).isEqualTo("error");
    }
  }
}

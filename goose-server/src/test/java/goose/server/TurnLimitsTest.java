package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.provider.fake.FakeOpenAiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Turn limits as people meet them: one person with many windows (auth none/secret) is not capped
 * per user, many users (tokens/proxy) are, and a server-wide cap protects the machine either way.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TurnLimitsTest {
  @TempDir Path root;
  FakeOpenAiServer openai;
  TestServer server;
  final List<String> sessions = new ArrayList<>();

  @BeforeEach
  void setUp() {
    openai = new FakeOpenAiServer();
  }

  @AfterEach
  void tearDown() {
    if (server != null) server.close(); // cancels the stalled turns
    openai.close();
  }

  void start(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_PROVIDER", "openai");
    env.put("OPENAI_HOST", openai.baseUri().toString());
    env.put("OPENAI_API_KEY", "sk-test");
    env.putAll(extra);
    server = TestServer.start(root, env);
  }

  /**
   * Starts a turn whose provider reply stalls after its first chunk, so it runs until cancelled;
   * the POST's response. The session goes to {@link #sessions}.
   */
  Exchange startHeldTurn(String... headers) {
    String id =
        goose.json.Json.parse(
                Exchange.send(
                        server.server.uri(),
                        "POST",
                        "/sessions",
                        "{\"cwd\":" + goose.json.Json.write(root.toString()) + "}",
                        headers)
                    .body())
            .get("id")
            .asText();
    sessions.add(id);
    openai.enqueue(FakeOpenAiServer.text("busy", "still busy").stallAfter(2));
    List<String> all = new ArrayList<>(List.of(headers));
    all.addAll(List.of("Accept", "application/json"));
    return Exchange.send(
        server.server.uri(),
        "POST",
        "/sessions/" + id + "/messages",
        "{\"content\":\"work\"}",
        all.toArray(String[]::new));
  }

  @Test
  void oneUserWithoutAuthRunsMoreThanFourTurnsAtOnce() {
    start(Map.of());
    for (int i = 0; i < 8; i++)
      assertThat(startHeldTurn().status()).as("turn %d of one local user", i + 1).isEqualTo(202);
  }

  @Test
  void withManyUsersEachHasFourByDefaultAndOthersAreNotBlocked() {
    start(
        Map.of(
            "GOOSE_AUTH", "proxy",
            "GOOSE_TRUSTED_PROXIES", "127.0.0.1"));
    for (int i = 0; i < 4; i++)
      assertThat(startHeldTurn("X-Remote-User", "alice").status()).isEqualTo(202);
    Exchange fifth = startHeldTurn("X-Remote-User", "alice");
    assertThat(fifth.status()).isEqualTo(429);
    assertThat(fifth.body()).contains("GOOSE_MAX_TURNS_PER_USER");
    assertThat(startHeldTurn("X-Remote-User", "bob").status()).isEqualTo(202);
  }

  @Test
  void theServerWideCapRefusesWith429NamingItAndFreesASlotWhenATurnEnds() throws Exception {
    start(Map.of("GOOSE_MAX_RUNNING_TURNS", "2"));
    assertThat(startHeldTurn().status()).isEqualTo(202);
    assertThat(startHeldTurn().status()).isEqualTo(202);
    Exchange third = startHeldTurn();
    assertThat(third.status()).isEqualTo(429);
    assertThat(third.body()).contains("GOOSE_MAX_RUNNING_TURNS").contains("already runs 2");
    assertThat(third.header("Retry-After")).isEqualTo("5");

    assertThat(
            Exchange.send(
                    server.server.uri(),
                    "POST",
                    "/sessions/" + sessions.getFirst() + "/cancel",
                    "{}")
                .status())
        .isEqualTo(200);
    int status =
        await("a free slot once a turn ended")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> startHeldTurn().status(), s -> s != 429);
    assertThat(status).as("a slot is free once a turn ended").isEqualTo(202);
  }
}

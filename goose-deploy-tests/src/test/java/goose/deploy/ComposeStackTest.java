package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import goose.provider.fake.FakeOpenAiServer;
import goose.testing.Repo;
import goose.testing.deploy.NginxProxy;
import goose.testing.deploy.ProxyClient;
import goose.testing.deploy.SelfSignedTls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The repository's docker-compose.yml run for real with docker-compose (1.29 here; the file stays
 * valid for Compose v2): goosed on the test image and PostgreSQL (a stand-in of postgres:18), the
 * secrets from the environment. A session is stored in PostgreSQL and survives {@code
 * docker-compose restart goosed}; then two goosed replicas behind the shipped nginx configuration
 * (the real nginx on the host, its upstream listing both): a turn started through one replica is
 * followed and cancelled through the other. Skipped without a Docker engine; CI always runs it.
 */
@Timeout(value = 45, unit = TimeUnit.MINUTES) // includes building the image when this runs first
// Builds or runs the image, three containers and nginx: alone, so the machine is not overloaded.
@Isolated
@UsesTestImage
class ComposeStackTest {
  private static final String KEY = "compose-secret-" + UUID.randomUUID();
  private static final Map<String, String> USERS = Map.of("alice", "alice-password");

  @TempDir Path dir;

  @Test
  void keepsSessionsInPostgresAcrossARestartAndServesOneTurnFromTwoReplicasBehindNginx()
      throws Exception {
    TestImage image = TestImage.get();
    String project = Docker.uniqueName();
    try (FakeOpenAiServer provider = Container.reachableProvider()) {
      Map<String, String> env = new HashMap<>();
      env.put("GOOSED_IMAGE", image.tag());
      env.put("GOOSED_PUBLISH", "127.0.0.1:");
      env.put("GOOSE_SERVER__SECRET_KEY", KEY);
      env.put("POSTGRES_PASSWORD", "pg-" + UUID.randomUUID());
      env.put("GOOSE_PROVIDER", "openai");
      env.put("GOOSE_MODEL", "gpt-4o");
      env.put("OPENAI_API_KEY", "sk-test-compose");
      Path shipped = Repo.path("docker-compose.yml");
      Compose compose = new Compose(project, List.of(shipped, override(provider, false)), env);
      try {
        if (Compose.isVersion1()) {
          // docker-compose 1.x hands security_opt to the engine as written, and the engine does
          // not know systempaths=unconfined (the docker CLI and Compose v2 turn it into an
          // unmasked /proc): 1.x refuses the shipped file, as docs/deployment.md says...
          Docker.Result refused = compose.run(Duration.ofMinutes(10), "up", "-d", "--no-build");
          assertThat(refused.exit()).as(refused.describe()).isNotZero();
          assertThat(refused.err()).contains("systempaths=unconfined");
          compose.run(Duration.ofMinutes(3), "down", "-v", "--remove-orphans");
          // ... so with 1.x the stack runs from the same file less that one option, and with the
          // sandbox off (bubblewrap cannot build it without an unmasked /proc, and goosed would
          // refuse to start). ContainerSandboxTest runs the sandbox with these very options.
          String text = Files.readString(shipped);
          String option = "      - systempaths=unconfined\n";
          assertThat(text).containsOnlyOnce(option);
          Path v1 = dir.resolve("docker-compose.v1.yml");
          Files.writeString(v1, text.replace(option, ""));
          compose = new Compose(project, List.of(v1, override(provider, true)), env);
        }
        compose.ok(Duration.ofMinutes(10), "up", "-d", "--no-build");
        URI first = compose.awaitReplica(1);
        ProxyClient client = ProxyClient.direct(first, "X-Secret-Key", KEY);
        ProxyClient.Reply created =
            client.post("/sessions", "{\"cwd\":\"/home/goose/work\",\"name\":\"compose\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String session = created.json().get("id").asText();
        provider.enqueue(FakeOpenAiServer.text("stored", " in postgres"));
        try (ProxyClient.EventStream sse =
            client.stream(
                "/sessions/" + session + "/messages", Optional.of("{\"content\":\"hello\"}"))) {
          assertThat(ContainerImageTest.text(sse.untilComplete())).isEqualTo("stored in postgres");
        }
        assertThat(
                compose.exec(
                    "postgres",
                    "psql",
                    "-U",
                    "goose",
                    "-d",
                    "goose",
                    "-tAc",
                    "SELECT name FROM sessions WHERE id = '" + session + "'"))
            .as("the session row is in the compose file's PostgreSQL")
            .isEqualTo("compose");

        compose.ok(Duration.ofMinutes(3), "restart", "goosed");
        ProxyClient restarted = ProxyClient.direct(compose.awaitReplica(1), "X-Secret-Key", KEY);
        ProxyClient.Reply kept = restarted.get("/sessions/" + session);
        assertThat(kept.status()).as(kept.body()).isEqualTo(200);
        assertThat(kept.json().get("messages").toString()).contains("stored in postgres");

        compose.ok(Duration.ofMinutes(5), "up", "-d", "--no-build", "--scale", "goosed=2");
        List<String> replicas = new ArrayList<>();
        for (int index = 1; index <= 2; index++)
          replicas.add("127.0.0.1:" + compose.awaitReplica(index).getPort());
        assertThat(replicas).doesNotHaveDuplicates();
        SelfSignedTls tls = SelfSignedTls.create(dir);
        try (NginxProxy nginx = NginxProxy.start(dir.resolve("nginx"), replicas, tls, USERS)) {
          new TwoReplicaTurn(nginx, tls, provider, KEY).startFollowAndCancel(session);
        }
      } finally {
        compose.run(Duration.ofMinutes(3), "down", "-v", "--remove-orphans");
      }
    }
  }

  /** The test's addition to the shipped file: where the fake provider listens (and the sandbox). */
  private Path override(FakeOpenAiServer provider, boolean sandboxOff) throws Exception {
    Path override = dir.resolve(sandboxOff ? "provider-v1.yml" : "provider.yml");
    Files.writeString(
        override,
        "services:\n  goosed:\n    environment:\n      OPENAI_HOST: "
            + provider.baseUri()
            + "\n"
            + (sandboxOff ? "      GOOSE_SANDBOX: \"off\"\n" : ""));
    return override;
  }

  /** docker-compose with one project, its files and environment. */
  record Compose(String project, List<Path> files, Map<String, String> env) {
    static boolean isVersion1() {
      String version =
          Docker.exec(
                  List.of(
                      System.getenv().getOrDefault("GOOSE_COMPOSE", "docker-compose"),
                      "version",
                      "--short"),
                  Map.of(),
                  Duration.ofSeconds(30))
              .ok();
      return version.startsWith("1.");
    }

    Docker.Result run(Duration timeout, String... args) {
      return Docker.compose(timeout, project, files, env, args);
    }

    String ok(Duration timeout, String... args) {
      Docker.Result r = run(timeout, args);
      if (r.exit() != 0)
        throw new AssertionError(
            r.describe() + "\n--- logs\n" + run(Duration.ofMinutes(1), "logs", "--no-color").out());
      return r.out().strip();
    }

    /**
     * Runs {@code COMMAND} in the first container of {@code service} ({@code docker exec}, what
     * {@code docker-compose exec -T} does without a Python start: most of a second of CPU a call);
     * its output.
     */
    String exec(String service, String... command) {
      List<String> args = new ArrayList<>(List.of("exec", container(service, 1).orElseThrow()));
      args.addAll(List.of(command));
      return Docker.docker(Duration.ofMinutes(1), args.toArray(String[]::new)).ok();
    }

    /**
     * The id of container {@code index} of {@code service}, found by the labels Compose (1.x and
     * v2) gives its containers; empty while it does not exist.
     */
    private Optional<String> container(String service, int index) {
      return Docker.docker(
              Duration.ofSeconds(30),
              "ps",
              "--quiet",
              "--filter",
              "label=com.docker.compose.project=" + project,
              "--filter",
              "label=com.docker.compose.service=" + service,
              "--filter",
              "label=com.docker.compose.container-number=" + index)
          .out()
          .lines()
          .findFirst();
    }

    /**
     * Replica {@code index} of goosed answering /status on its published loopback port. The port is
     * asked of the engine until it is known, then only /status is polled.
     */
    URI awaitReplica(int index) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      Optional<URI> base = Optional.empty();
      while (true) {
        if (base.isEmpty()) base = publishedAddress(index);
        if (base.isPresent() && answersStatus(base.get())) return base.get();
        if (System.nanoTime() > deadline)
          throw new AssertionError(
              "goosed replica "
                  + index
                  + " did not answer /status within 3 minutes:\n"
                  + run(Duration.ofMinutes(1), "logs", "--no-color").out());
        Thread.sleep(250);
      }
    }

    /** {@code docker-compose port --index=INDEX goosed 3000}, asked of the engine directly. */
    private Optional<URI> publishedAddress(int index) {
      Optional<String> id = container("goosed", index);
      if (id.isEmpty()) return Optional.empty();
      Docker.Result port = Docker.docker(Duration.ofSeconds(30), "port", id.get(), "3000/tcp");
      if (port.exit() != 0) return Optional.empty();
      return port.out()
          .lines()
          .map(String::strip)
          .filter(address -> address.matches("127\\.0\\.0\\.1:\\d+"))
          .findFirst()
          .map(address -> URI.create("http://" + address));
    }

    private static boolean answersStatus(URI base) {
      try {
        return ProxyClient.direct(base).get("/status").status() == 200;
      } catch (Exception notYet) {
        return false; // starting
      }
    }
  }
}

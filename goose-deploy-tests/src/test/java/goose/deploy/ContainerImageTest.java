package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.provider.fake.FakeOpenAiServer;
import goose.testing.deploy.ProxyClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The image built from the repository's Dockerfile, run for real (skipped without a Docker engine,
 * always run by CI): what it carries, then one container in secret mode against the fake provider
 * on the host: non-root, /status, a turn, healthy, SIGTERM with a running turn, and a new container
 * on the same volumes that still has the session.
 */
@Timeout(value = 45, unit = TimeUnit.MINUTES) // the first test builds the stand-ins and the image
// Builds and runs the image (and times docker stop): alone, so the machine is not overloaded.
@Isolated
@UsesTestImage
class ContainerImageTest {
  private static final String KEY = "test-secret-" + UUID.randomUUID();

  @Test
  void carriesARuntimeWithoutBuildToolsItsLabelsAndABakedClassDataArchive() {
    TestImage image = TestImage.get();
    long size = image.sizeMegabytes();
    long base = megabytes("debian:bookworm-slim");
    System.out.printf(
        "container tests: image size %d MB, of which %d MB its own layers over the base image%n",
        size, size - base);
    System.out.println(Docker.ok("history", "--format", "{{.Size}}\t{{.CreatedBy}}", image.tag()));
    // The full JDK alone is about 300 MB: a runtime of the used modules, the app, its archive and
    // the Debian packages stay well under that (about 290 MB measured, 130 MB of them apt's).
    assertThat(size - base)
        .as("MB the image adds to its base (a JDK or Maven crept in?)")
        .isLessThan(330);

    JsonNode labels =
        Json.parse(
            Docker.ok("image", "inspect", "--format", "{{json .Config.Labels}}", image.tag()));
    assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo("goosed");
    assertThat(labels.path("org.opencontainers.image.version").asText())
        .isEqualTo(TestImage.pomVersion());
    assertThat(labels.path("org.opencontainers.image.revision").asText()).matches("[0-9a-f]{40}");
    assertThat(labels.path("org.opencontainers.image.description").asText()).isNotBlank();
    assertThat(Docker.ok("image", "inspect", "--format", "{{.Config.User}}", image.tag()))
        .isEqualTo("goose");

    String tools =
        image
            .shell(
                "id -u; for c in mvn javac jshell jlink jar; do command -v $c && echo FOUND $c;"
                    + " done; java --list-modules")
            .ok();
    assertThat(tools.lines().findFirst()).contains("10001");
    assertThat(tools).doesNotContain("FOUND").contains("java.base@25");
    assertThat(tools).doesNotContain("jdk.compiler").doesNotContain("jdk.jshell");

    // The archive from the build's training run is mapped at start: the command line's own
    // classes come from it ("top", the dynamic archive over the runtime's base one), and no CDS
    // error is printed (the base archive matches the launcher's flags).
    Docker.Result version =
        image.shell(
            "JAVA_OPTS=-Xlog:class+load=info:file=/tmp/classes.log goose --version"
                + " && grep -c 'source: shared objects file (top)' /tmp/classes.log"
                + " && grep -c 'source: shared objects file$' /tmp/classes.log"
                + " && grep 'goose.cli.Main ' /tmp/classes.log");
    List<String> lines = version.ok().lines().toList();
    assertThat(version.err()).as("stderr of goose --version").isEmpty();
    assertThat(lines.getFirst()).startsWith("goose " + TestImage.pomVersion());
    int fromTop = Integer.parseInt(lines.get(1));
    int fromBase = Integer.parseInt(lines.get(2));
    System.out.printf(
        "container tests: goose --version mapped %d classes from the baked archive, %d from the"
            + " runtime's%n",
        fromTop, fromBase);
    assertThat(fromTop).isGreaterThan(200);
    assertThat(fromBase).isGreaterThan(500);
    assertThat(lines.getLast()).contains("shared objects file (top)");
  }

  @Test
  void servesATurnAsNonRootBecomesHealthyStopsCleanlyOnSigtermAndKeepsSessionsInItsVolumes()
      throws Exception {
    TestImage image = TestImage.get();
    String volumes = Docker.uniqueName();
    try (FakeOpenAiServer provider = Container.reachableProvider()) {
      List<String> run = runOptions(provider.baseUri(), volumes, image.tag());
      String session;
      try (Container goosed = Container.run(run.toArray(String[]::new))) {
        URI base = goosed.awaitStatus(Duration.ofMinutes(3));
        assertThat(goosed.exec("id", "-u")).isEqualTo("10001");
        assertThat(Docker.ok("top", goosed.id, "-eo", "pid,uid,args"))
            .as("the server process runs as uid 10001")
            .containsPattern("(?m)^\\s*\\d+\\s+10001\\s+java .*goose\\.cli\\.Main server");

        ProxyClient client = ProxyClient.direct(base, "X-Secret-Key", KEY);
        ProxyClient.Reply created =
            client.post("/sessions", "{\"cwd\":\"/home/goose/work\",\"name\":\"in a container\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        session = created.json().get("id").asText();
        String messages = "/sessions/" + session + "/messages";

        provider.enqueue(FakeOpenAiServer.text("Hello", " from", " the container"));
        try (ProxyClient.EventStream sse =
            client.stream(messages, Optional.of("{\"content\":\"say hello\"}"))) {
          assertThat(sse.status).isEqualTo(200);
          List<ProxyClient.EventStream.Event> events = sse.untilComplete();
          assertThat(text(events))
              .as(() -> events + "\n" + goosed.diagnose(provider.baseUri()))
              .isEqualTo("Hello from the container");
          assertThat(events.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
        }
        assertThat(provider.lastRequest().headers().get("authorization"))
            .isEqualTo("Bearer sk-test-container");

        goosed.awaitHealthy(Duration.ofSeconds(90));

        // SIGTERM (docker stop, default grace 10 s) while a turn waits on its provider: the turn
        // ends cancelled on the open stream, and the process exits 0 well inside the grace period.
        // (The fake's first write is the role chunk: two writes reach "partial".)
        provider.enqueue(FakeOpenAiServer.text("partial", " never sent").stallAfter(2));
        try (ProxyClient.EventStream sse =
            client.stream(messages, Optional.of("{\"content\":\"a long answer\"}"))) {
          ProxyClient.EventStream.Event first = sse.next().orElseThrow();
          assertThat(first.name()).as(first.toString()).isEqualTo("message_chunk");
          assertThat(first.data().path("text").asText()).isEqualTo("partial");
          CompletableFuture<List<ProxyClient.EventStream.Event>> rest =
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return sse.untilComplete();
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  },
                  Thread::startVirtualThread);
          long start = System.nanoTime();
          Docker.ok("stop", goosed.id);
          long stopMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
          System.out.printf("container tests: docker stop took %d ms%n", stopMillis);
          assertThat(goosed.inspect("{{.State.ExitCode}}")).as(goosed.logs()).isEqualTo("0");
          assertThat(stopMillis).as("stopped before docker's 10 s grace ran out").isLessThan(9_000);
          List<ProxyClient.EventStream.Event> ended = rest.get(30, TimeUnit.SECONDS);
          assertThat(ended)
              .as(() -> "events after SIGTERM; the log:\n" + goosed.logs())
              .isNotEmpty()
              .last()
              .extracting(ProxyClient.EventStream.Event::name)
              .isEqualTo("message_complete");
          assertThat(ended.getLast().data().get("stop_reason").asText()).isEqualTo("cancelled");
        }
      }

      // A new container on the same volumes has the session, both turns recorded.
      try (Container again = Container.run(run.toArray(String[]::new))) {
        ProxyClient client =
            ProxyClient.direct(again.awaitStatus(Duration.ofMinutes(3)), "X-Secret-Key", KEY);
        ProxyClient.Reply stored = client.get("/sessions/" + session);
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().get("name").asText()).isEqualTo("in a container");
        assertThat(stored.json().get("messages").toString())
            .contains("Hello from the container")
            .contains("a long answer");
      }
    } finally {
      Docker.docker(
          Duration.ofMinutes(1), "volume", "rm", "-f", volumes + "-config", volumes + "-data");
    }
  }

  /**
   * docker run options as docs/deployment.md gives them, with the fake provider and a random port.
   */
  private static List<String> runOptions(URI provider, String volumes, String image) {
    List<String> run = new ArrayList<>(List.of("--init", "-p", "127.0.0.1::3000"));
    run.addAll(ContainerOptions.SECURITY);
    run.addAll(
        List.of(
            "-e",
            "GOOSE_AUTH=secret",
            "-e",
            "GOOSE_SERVER__SECRET_KEY=" + KEY,
            "-e",
            "GOOSE_PROVIDER=openai",
            "-e",
            "GOOSE_MODEL=gpt-4o",
            "-e",
            "OPENAI_API_KEY=sk-test-container",
            "-e",
            "OPENAI_HOST=" + provider,
            "-v",
            volumes + "-config:/home/goose/.config/goose",
            "-v",
            volumes + "-data:/home/goose/.local/share/goose",
            image));
    return run;
  }

  private static long megabytes(String image) {
    return Long.parseLong(Docker.ok("image", "inspect", "--format", "{{.Size}}", image))
        / 1_000_000;
  }

  static String text(List<ProxyClient.EventStream.Event> events) {
    StringBuilder text = new StringBuilder();
    for (ProxyClient.EventStream.Event e : events) {
      if (e.name().equals("message_chunk")) text.append(e.data().get("text").asText());
    }
    return text.toString();
  }
}

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Multi-user in the container: {@code GOOSE_AUTH=tokens}, users made with {@code docker exec ...
 * goose users add}, and the tool sandbox (bubblewrap) built inside the container with exactly the
 * security options of docs/deployment.md's {@code docker run}: a shell tool sees none of the
 * server's secrets, no other process (its /proc/1 is the sandbox's own), not the server's files and
 * not another user's workspace. Without those options the image refuses to start. Skipped without a
 * Docker engine; CI always runs it.
 */
@Timeout(value = 45, unit = TimeUnit.MINUTES) // includes building the image when this runs first
// Builds or runs the image: alone, so the machine is not overloaded.
@Isolated
@UsesTestImage
class ContainerSandboxTest {
  private static final String PROVIDER_KEY = "sk-container-" + UUID.randomUUID();

  @Test
  void usersFromDockerExecRunShellToolsInTheSandboxThatSeeNoSecret() throws Exception {
    TestImage image = TestImage.get();
    try (FakeOpenAiServer provider = Container.reachableProvider();
        Container goosed = Container.run(runOptions(provider.baseUri(), image.tag(), true))) {
      URI base = goosed.awaitStatus(Duration.ofMinutes(3));
      assertThat(goosed.logs()).contains("tools run in a bubblewrap sandbox");
      String aliceToken = lastLine(goosed.exec("goose", "users", "add", "alice"));
      String bobToken = lastLine(goosed.exec("goose", "users", "add", "bob"));
      goosed.exec("mkdir", "-p", "/home/goose/work/alice", "/home/goose/work/bob");
      ProxyClient alice = ProxyClient.direct(base, "Authorization", "Bearer " + aliceToken);
      ProxyClient bob = ProxyClient.direct(base, "Authorization", "Bearer " + bobToken);
      String aliceSession = session(alice, "/home/goose/work/alice");
      String bobSession = session(bob, "/home/goose/work/bob");

      JsonNode seen =
          shell(
              goosed,
              provider,
              alice,
              aliceSession,
              "hostname; echo ---; env; echo ---; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n'"
                  + " < $f; done; echo ---; tr '\\0' ' ' < /proc/1/cmdline; echo; echo ---;"
                  + " ls -A /home/goose/.config/goose /home/goose/.local/share/goose 2>&1;"
                  + " echo ---; echo private > secret-plan.txt; ls /proc | grep -c '^[0-9]'");
      String out = text(seen);
      assertThat(ok(seen)).as(out).isTrue();
      List<String> parts = List.of(out.split("---", -1));
      assertThat(parts.getFirst().strip())
          .as("the sandbox's own host name")
          .isEqualTo("goose-sandbox");
      assertThat(out)
          .doesNotContain(PROVIDER_KEY)
          .doesNotContain(aliceToken)
          .doesNotContain(bobToken)
          .doesNotContain("OPENAI_")
          .doesNotContain("GOOSE_")
          .doesNotContain("goose.cli.Main")
          .contains("HOME=/home/goose/work/alice");
      assertThat(parts.get(4)).doesNotContain("sessions").doesNotContain("config.yaml");
      assertThat(Integer.parseInt(parts.getLast().strip()))
          .as("only the sandbox's own processes")
          .isLessThanOrEqualTo(5);

      JsonNode peek =
          shell(goosed, provider, bob, bobSession, "cat /home/goose/work/alice/secret-plan.txt");
      assertThat(ok(peek)).as(text(peek)).isFalse();
      assertThat(text(peek)).doesNotContain("private");
      assertThat(bob.get("/sessions/" + aliceSession).status()).isEqualTo(404);
    }

    // Without the documented options bubblewrap cannot build a sandbox: the server refuses to
    // start, naming the problem, rather than running tools unconfined.
    Docker.Result refused =
        Docker.run(
            Duration.ofMinutes(3),
            List.of("run", "--rm", "-e", "GOOSE_AUTH=tokens", image.tag()),
            java.util.Map.of());
    assertThat(refused.exit()).as(refused.describe()).isEqualTo(2);
    assertThat(refused.err()).contains("tools must run in a sandbox").contains("docs/sandbox.md");
  }

  private static String[] runOptions(URI provider, String image, boolean documented) {
    List<String> run = new ArrayList<>(List.of("--init", "-p", "127.0.0.1::3000"));
    if (documented) run.addAll(ContainerOptions.SECURITY);
    run.addAll(
        List.of(
            "-e",
            "GOOSE_AUTH=tokens",
            // A title request after each first exchange would take a scripted reply meant for the
            // next turn: titles are not what this test is about.
            "-e",
            "GOOSE_SESSION_TITLES=false",
            "-e",
            "GOOSE_PROVIDER=openai",
            "-e",
            "GOOSE_MODEL=gpt-4o",
            "-e",
            "OPENAI_API_KEY=" + PROVIDER_KEY,
            "-e",
            "OPENAI_HOST=" + provider,
            image));
    return run.toArray(String[]::new);
  }

  private static String session(ProxyClient client, String cwd) throws Exception {
    ProxyClient.Reply created = client.post("/sessions", "{\"cwd\":\"" + cwd + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  /** One turn in which the model calls the developer shell; the tool_result event's data. */
  private static JsonNode shell(
      Container container,
      FakeOpenAiServer provider,
      ProxyClient client,
      String session,
      String command)
      throws Exception {
    provider.enqueueToolCall("developer__shell", Json.write(Json.object().put("command", command)));
    try (ProxyClient.EventStream sse =
        client.stream(
            "/sessions/" + session + "/messages", Optional.of("{\"content\":\"run it\"}"))) {
      assertThat(sse.status).isEqualTo(200);
      List<ProxyClient.EventStream.Event> events = sse.untilComplete();
      return events.stream()
          .filter(e -> e.name().equals("tool_result"))
          .findFirst()
          .orElseThrow(
              () ->
                  new AssertionError(
                      "no tool_result in the turn: "
                          + events
                          + "\n"
                          + container.diagnose(provider.baseUri())))
          .data();
    }
  }

  private static String text(JsonNode result) {
    StringBuilder sb = new StringBuilder();
    result.path("result").forEach(part -> sb.append(part.path("text").asText()));
    return sb.toString();
  }

  private static boolean ok(JsonNode result) {
    return result.path("status").asText().equals("success");
  }

  private static String lastLine(String output) {
    List<String> lines = output.strip().lines().toList();
    return lines.getLast().strip();
  }
}

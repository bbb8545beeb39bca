package goose.cli.acp;

import static org.assertj.core.api.Assertions.assertThat;

import goose.provider.fake.FakeAnthropicServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The third-party CLI acpx runs a prompt against {@code goose acp} as its agent. */
class AcpxTest {
  @TempDir Path root;

  @Test
  void acpxRunsAPromptAgainstGooseAcp() throws Exception {
    try (FakeAnthropicServer anthropic = new FakeAnthropicServer()) {
      anthropic.enqueue(FakeAnthropicServer.text("Hello ", "from ", "goosed."));
      Path cwd = Files.createDirectories(root.resolve("work")).toRealPath();
      Files.createDirectories(root.resolve("home"));
      Map<String, String> env = new HashMap<>(AcpScenario.env(root, anthropic));
      String agent = String.join(" ", AcpClients.gooseAcp());
      AcpClients.Run run =
          AcpClients.bin(
              env,
              cwd,
              "acpx",
              List.of(
                  "--agent",
                  agent,
                  "--cwd",
                  cwd.toString(),
                  "--format",
                  "json",
                  "--approve-all",
                  "exec",
                  "say hello"));
      assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
      // acpx prints the ACP messages it exchanged: the prompt's streamed text and its end.
      assertThat(run.out()).contains("\"method\":\"session/prompt\"");
      assertThat(run.out()).contains("\"sessionUpdate\":\"agent_message_chunk\"");
      assertThat(run.out()).contains("goosed.");
      assertThat(run.out()).contains("\"stopReason\":\"end_turn\"");
      assertThat(anthropic.requests()).hasSize(1);
    }
  }
}

package goose.builtins;

import static goose.builtins.Calls.call;
import static goose.builtins.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.builtins.developer.DeveloperExtension;
import goose.conversation.Content;
import goose.tool.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ShellToolTest {
  @TempDir Path work;
  final DeveloperExtension developer = new DeveloperExtension(Calls.unconfined());

  private Content.ToolResponse shell(String argsJson) {
    ToolContext ctx = Calls.context("alice", "s1", work);
    return call(developer, ctx, "shell", argsJson);
  }

  @Test
  void runsInTheSessionWorkingDirAndCapturesStdoutAndStderr() {
    Content.ToolResponse r = shell(json("command", "pwd; echo to-out; echo to-err >&2"));
    assertThat(r.isError()).isFalse();
    assertThat(r.text()).contains(work.toString()).contains("to-out").contains("to-err");
  }

  @Test
  void aFailingCommandIsAnErrorWithItsOutputAndExitCode() {
    Content.ToolResponse r = shell(json("command", "echo partial; exit 7"));
    assertThat(r.isError()).isTrue();
    assertThat(r.text()).contains("partial").contains("exit code 7");
  }

  @Test
  void timeoutKillsTheWholeProcessGroup() throws Exception {
    Content.ToolResponse r =
        shell(json("command", "sleep 300 & echo $! > child.pid; sleep 300", "timeout_secs", 1));
    assertThat(r.isError()).isTrue();
    assertThat(r.text()).contains("timed out after 1 s");
    long child = Long.parseLong(Files.readString(work.resolve("child.pid")).trim());
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(alive(child)).as("background child %d", child).isFalse());
  }

  @Test
  void longOutputIsTruncatedWithANotice() throws Exception {
    Content.ToolResponse r =
        shell(
            json("command", "echo FIRST; head -c 500000 /dev/zero | tr '\\0' a; echo; echo LAST"));
    assertThat(r.isError()).isFalse();
    // One line of 500,000 characters: its beginning and end are shown, the middle is cut.
    assertThat(r.text())
        .startsWith("FIRST\naaaa")
        .contains("[... output truncated: 3 lines (500012 bytes) in all; ")
        .contains(" bytes in the middle are not shown")
        .endsWith("aaaa\nLAST\n");
    assertThat(r.text().length()).isLessThan(70_000);
    assertThat(Files.readString(savedFile(r.text()))).hasSize(500_012).endsWith("a\nLAST\n");
  }

  @Test
  void tenThousandLinesAreCutToTwoThousandWithTheWholeOutputSavedInTheWorkspace() throws Exception {
    Content.ToolResponse r = shell(json("command", "seq 1 10000"));

    assertThat(r.isError()).isFalse();
    String text = r.text();
    assertThat(text).startsWith("1\n2\n").endsWith("\n9999\n10000\n");
    assertThat(text.lines().count()).isEqualTo(2001); // 1,000 + the notice + 1,000
    assertThat(text)
        .contains(
            "\n1000\n[... output truncated: 10000 lines (48894 bytes) in all; lines 1001 to 9000 are not shown.")
        .contains("sed -n '1001,1200p'")
        .doesNotContain("\n1001\n", "\n9000\n")
        .contains("\n9001\n");
    Path saved = savedFile(text);
    assertThat(saved).startsWith(work.resolve(".goose/shell-output"));
    assertThat(Files.readAllLines(saved)).hasSize(10_000).startsWith("1").endsWith("10000");
    assertThat(Files.readString(work.resolve(".goose/shell-output/.gitignore"))).isEqualTo("*\n");
  }

  @Test
  void shortOutputLeavesNoFileBehind() {
    assertThat(shell(json("command", "seq 1 2000")).text()).doesNotContain("truncated");
    assertThat(shell(json("command", "seq 1 10")).text())
        .isEqualTo(
            String.join(
                    "\n",
                    java.util.stream.IntStream.rangeClosed(1, 10)
                        .mapToObj(Integer::toString)
                        .toList())
                + "\n");
    assertThat(work.resolve(".goose")).doesNotExist();
  }

  @Test
  void withTheSandboxOnAWorkspaceLinkNeverLeadsTheSavedOutputOut(@TempDir Path server)
      throws Exception {
    assertThat(java.nio.file.Files.isExecutable(Path.of("/usr/bin/bwrap")))
        .as("this test needs bubblewrap: apt-get install bubblewrap (bash .ci/run installs it)")
        .isTrue();
    goose.config.Config config =
        goose.config.Config.load(
            java.util.Map.of("GOOSE_PATH_ROOT", server.toString(), "GOOSE_SANDBOX", "on"), server);
    goose.sandbox.Sandbox sandbox =
        goose.sandbox.Sandbox.open(
            config, goose.sandbox.SandboxSettings.from(config, "tokens", true));
    DeveloperExtension confined = new DeveloperExtension(sandbox);
    Path elsewhere = Files.createDirectories(server.resolve("elsewhere"));
    Files.createSymbolicLink(work.resolve(".goose"), elsewhere);

    Content.ToolResponse r =
        call(
            confined,
            Calls.context("alice", "s1", work.toRealPath()),
            "shell",
            json("command", "seq 1 5000"));

    assertThat(r.text()).contains("output truncated").contains("could not be saved");
    try (var inside = Files.list(elsewhere)) {
      assertThat(inside).isEmpty();
    }
  }

  private static Path savedFile(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("saved in (\\S+):").matcher(text);
    assertThat(m.find()).as("the notice names the file").isTrue();
    return Path.of(m.group(1));
  }

  @Test
  void aBackgroundProcessHoldingTheOutputDoesNotHangTheCall() {
    Content.ToolResponse r = shell(json("command", "sleep 120 & echo started"));
    assertThat(r.text()).contains("started");
  }

  @Test
  void badArgumentsAreNamed() {
    assertThat(shell("{}").text()).contains("'command'");
    assertThat(shell(json("command", "true", "timeout_secs", 0)).text()).contains("timeout_secs");
    assertThat(shell(json("command", 5)).isError()).isTrue();
  }

  private static boolean alive(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = s.charAt(s.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (java.io.IOException e) {
      return false;
    }
  }
}

package goose.builtins;

import static goose.builtins.Calls.call;
import static goose.builtins.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import goose.builtins.developer.DeveloperExtension;
import goose.conversation.Content;
import goose.tool.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (alive(child) && System.nanoTime() < deadline) Thread.sleep(50);
    assertThat(alive(child)).as("background child %d", child).isFalse();
  }

  @Test
  void longOutputIsTruncatedWithANotice() {
    Content.ToolResponse r =
        shell(
            json("command", "echo FIRST; head -c 500000 /dev/zero | tr '\\0' a; echo; echo LAST"));
    assertThat(r.isError()).isFalse();
    assertThat(r.text())
        .startsWith("FIRST")
        .contains("output truncated")
        .contains("bytes omitted")
        .endsWith("LAST\n");
    assertThat(r.text().length()).isLessThan(70_000);
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

package goose.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The per-process limits of the sandbox, configured small: processes (the kernel's RLIMIT_NPROC,
 * counted per sandbox; for a server running as root, which the kernel exempts, the door's own
 * watchdog), memory per process, and the size of the private /tmp.
 */
@Timeout(120)
// A fork bomb and a memory hog: alone, so they neither starve nor count the classes beside them.
@Isolated
class SandboxLimitsTest {
  @TempDir Path root;
  SandboxFixture f;

  @BeforeEach
  void open() {
    f =
        new SandboxFixture(
            root,
            "GOOSE_SANDBOX_MAX_PROCESSES",
            "16",
            "GOOSE_SANDBOX_MAX_MEMORY_MB",
            "64",
            "GOOSE_SANDBOX_MAX_TMP_MB",
            "2");
  }

  @Test
  void theLimitsAreSetInsideTheSandbox() {
    SandboxFixture.Run r = f.bash("ulimit -u; ulimit -d; ulimit -c");
    assertThat(r.output().lines().toList()).containsExactly("16", Long.toString(64 * 1024), "0");
  }

  @Test
  void aForkBombIsStopped() {
    long started = System.nanoTime();
    // perl's fork does not retry (bash's and xargs' do): a refused fork shows at once.
    SandboxFixture.Run r =
        f.run(
            List.of(
                "perl",
                "-e",
                "for (1..64) { my $p = fork(); if (!defined $p) { print \"fork failed: $!\\n\";"
                    + " exit 1 } if ($p == 0) { sleep 30; exit 0 } } print \"all started\\n\";"
                    + " 1 while wait() != -1;"),
            Map.of());
    assertThat(r.output()).doesNotContain("all started");
    boolean refusedByKernel = r.output().contains("fork failed: Resource temporarily unavailable");
    assertThat(refusedByKernel || r.limitReached().isPresent())
        .as("stopped by RLIMIT_NPROC or the watchdog: %s %s", r.output(), r.limitReached())
        .isTrue();
    assertThat(System.nanoTime() - started)
        .as("the 64 sleeps of 30 s were not left to run")
        .isLessThan(25_000_000_000L);
  }

  /**
   * The watchdog reads the sandbox's own /proc: it counts what the tool started, an orphan whose
   * parent has exited too, as many as the walk over every process of the host counts.
   */
  @Test
  void theWatchdogCountsTheSandboxsProcessesOrphansToo() throws Exception {
    ToolProcess p =
        f.sandbox.start(
            new ToolLaunch(
                List.of("bash", "-c", "(sleep 60 &) ; sleep 60 & sleep 60 & echo started; wait"),
                f.alice,
                Map.of(),
                ToolLaunch.Streams.MERGED_WITHOUT_INPUT,
                ToolLaunch.Kind.SESSION));
    try {
      // bash, its two sleeps and the orphaned one (its subshell has exited)
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(p.toolProcesses()).isEqualTo(4));
      assertThat(p.namespaceProcesses())
          .as("read from the sandbox's /proc: bwrap's init and the four")
          .hasValue(5);
      assertThat(p.process().descendants().count() - 1)
          .as("the walk over the host's processes agrees")
          .isEqualTo(4);
    } finally {
      ProcessTree.terminate(p.process(), Duration.ZERO);
    }
  }

  @Test
  void aProcessCannotTakeMoreMemoryThanItsLimit() {
    SandboxFixture.Run r = f.bash("x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).doesNotContain("200000000").containsAnyOf("allocate", "memory");
    assertThat(f.bash("x=$(head -c 1000000 /dev/zero | tr '\\0' a); echo ${#x}").output())
        .as("within the limit")
        .isEqualTo("1000000\n");
  }

  @Test
  void thePrivateTmpHasItsSize() {
    SandboxFixture.Run r = f.bash("head -c 4000000 /dev/zero > /tmp/big");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("No space left on device");
    assertThat(f.bash("head -c 100000 /dev/zero > /tmp/small && echo ok").output())
        .isEqualTo("ok\n");
  }
}

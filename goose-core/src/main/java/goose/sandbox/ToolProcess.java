package goose.sandbox;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A process started through the {@link Sandbox}. When the server runs as root (which the kernel
 * exempts from the process limit), a watchdog counts the sandbox's processes and ends the whole
 * sandbox when there are more than the limit; {@link #limitReached} then says so.
 */
public final class ToolProcess {
  static final Duration WATCH_INTERVAL = Duration.ofMillis(200);

  /** bwrap's own two processes (the outer one and the init of the PID namespace). */
  private static final int BWRAP_PROCESSES = 2;

  private final Process process;
  private volatile @Nullable String limitReached;

  ToolProcess(Process process, OptionalInt maxProcesses) {
    this.process = process;
    maxProcesses.ifPresent(
        max -> Thread.ofVirtual().name("sandbox-watch-" + process.pid()).start(() -> watch(max)));
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  /** Why the sandbox was ended by a limit, if it was. */
  public Optional<String> limitReached() {
    return Optional.ofNullable(limitReached);
  }

  private void watch(int max) {
    try {
      while (!process.waitFor(
          WATCH_INTERVAL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        long count = process.descendants().count() - (BWRAP_PROCESSES - 1);
        if (count > max) {
          limitReached =
              "more than "
                  + max
                  + " processes (GOOSE_SANDBOX_MAX_PROCESSES): the sandbox was stopped";
          ProcessTree.terminate(process, Duration.ZERO);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

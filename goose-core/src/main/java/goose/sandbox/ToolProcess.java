package goose.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A process started through the {@link Sandbox}. When the server runs as root (which the kernel
 * exempts from the process limit), a watchdog counts the sandbox's processes and ends the whole
 * sandbox when there are more than the limit; {@link #limitReached} then says so.
 *
 * <p>The count is read from the sandbox's own {@code /proc} (its PID namespace's), reached through
 * {@code /proc/<pid of bwrap's init>/root/proc}: one directory listing of the sandbox's processes,
 * about 0.04 ms, where {@link ProcessHandle#descendants()} reads the {@code stat} file of every
 * process on the machine (3-12 ms on a loaded 2-core host, every interval, for every sandboxed
 * process). Both count the same processes: everything the tool started, orphans too (in the sandbox
 * they are re-parented to bwrap's init). Where the namespace's {@code /proc} cannot be read, the
 * watchdog falls back to {@link ProcessHandle#descendants()}.
 */
public final class ToolProcess {
  static final Duration WATCH_INTERVAL = Duration.ofMillis(200);

  /** bwrap's own two processes (the outer one and the init of the PID namespace). */
  private static final int BWRAP_PROCESSES = 2;

  private final Process process;
  private volatile @Nullable String limitReached;

  /** bwrap's init (pid 1 of the sandbox), once found; 0 before. */
  private volatile long init;

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
      while (!process.waitFor(WATCH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
        if (toolProcesses() > max) {
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

  /** The processes the tool runs in its sandbox (bwrap's own two not counted). */
  long toolProcesses() {
    OptionalLong inNamespace = namespaceProcesses();
    if (inNamespace.isPresent()) return inNamespace.getAsLong() - (BWRAP_PROCESSES - 1);
    return process.descendants().count() - (BWRAP_PROCESSES - 1);
  }

  /** The processes of the sandbox's PID namespace, bwrap's init included, if readable. */
  OptionalLong namespaceProcesses() {
    if (init == 0) {
      // bwrap's only child is the init of the new PID namespace (found once: this walks /proc).
      long child = process.children().findFirst().map(ProcessHandle::pid).orElse(0L);
      if (child == 0 || !ownPidNamespace(child)) return OptionalLong.empty();
      init = child;
    }
    long count = 0;
    try (DirectoryStream<Path> pids =
        Files.newDirectoryStream(Path.of("/proc", Long.toString(init), "root", "proc"))) {
      for (Path p : pids) if (isPid(p.getFileName().toString())) count++;
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    // An empty listing is no sandbox /proc (init gone, or not bwrap's): count the other way.
    return count == 0 ? OptionalLong.empty() : OptionalLong.of(count);
  }

  /** Whether {@code pid} runs in a PID namespace other than this server's. */
  private static boolean ownPidNamespace(long pid) {
    try {
      Path theirs = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid"));
      return !theirs.equals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean isPid(String name) {
    if (name.isEmpty()) return false;
    for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
    return true;
  }
}

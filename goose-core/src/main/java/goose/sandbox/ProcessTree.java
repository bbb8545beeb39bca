package goose.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Starts a program in its own process group and ends it together with everything it started. The
 * group comes from {@code setsid} (util-linux, which execs the program in place, keeping its pid):
 * a signal to the group reaches grandchildren even after their parent has died and they were
 * re-parented, which {@link ProcessHandle#descendants()} alone would miss. Without {@code setsid}
 * the process's live descendants are signalled one by one.
 */
public final class ProcessTree {
  private static final @Nullable Path SETSID = findSetsid();
  private static final @Nullable Path KILL = find("kill");

  private ProcessTree() {}

  /**
   * The command to hand to {@link ProcessBuilder}: the program, in a new process group if possible.
   */
  public static List<String> inOwnGroup(List<String> command) {
    if (SETSID == null) return command;
    List<String> full = new ArrayList<>(command.size() + 1);
    full.add(SETSID.toString());
    full.addAll(command);
    return full;
  }

  /** Whether processes started through {@link #inOwnGroup} lead their own group. */
  public static boolean groupsSupported() {
    return SETSID != null && KILL != null;
  }

  /**
   * SIGTERM to the group and every descendant, then after {@code grace} SIGKILL to whatever is
   * left. Blocks until the leader is gone (or a further second has passed after SIGKILL).
   */
  public static void terminate(Process process, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    long pid = process.pid();
    signalGroup(pid, "TERM");
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle h : tree) {
      long left = deadline - System.nanoTime();
      if (left <= 0) break;
      try {
        h.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        break;
      }
    }
    signalGroup(pid, "KILL");
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void signalGroup(long pgid, String signal) {
    Path killCommand = KILL;
    if (SETSID == null || killCommand == null) return; // no process groups here
    try {
      Process kill =
          new ProcessBuilder(killCommand.toString(), "-" + signal, "--", "-" + pgid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(2, TimeUnit.SECONDS);
    } catch (IOException e) {
      // nothing left to signal or no kill(1): the per-process signals still apply
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static @Nullable Path findSetsid() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
        ? find("setsid")
        : null;
  }

  private static @Nullable Path find(String program) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }
}

package goose.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Linux's /proc says about a process, and jcmd for a JVM's heap. */
final class Proc {
  /**
   * G1 prints one "garbage-first heap total NK, used NK" line, the serial collector one per
   * generation (DefNew, Tenured).
   */
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private Proc() {}

  /** Resident set size in bytes (VmRSS), or -1 when the process is gone. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** User + system CPU time in seconds. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The sum of RSS of {@code pid} and all its descendants (a peer that forks helpers). */
  static long treeRssBytes(long pid) {
    long total = 0;
    for (long p : tree(pid)) {
      long r = rssBytes(p);
      if (r > 0) total += r;
    }
    return total;
  }

  static List<Long> tree(long pid) {
    List<Long> all = new ArrayList<>();
    all.add(pid);
    ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
    return all;
  }

  /**
   * Runs a full GC in the JVM {@code pid}, then answers its used heap in bytes (-1 when jcmd
   * fails).
   */
  static long heapUsedAfterGc(String javaHome, long pid) {
    try {
      run(javaHome + "/bin/jcmd", Long.toString(pid), "GC.run");
      String info = run(javaHome + "/bin/jcmd", Long.toString(pid), "GC.heap_info");
      Matcher m = HEAP_USED.matcher(info);
      long used = -1;
      while (m.find()) used = Math.max(used, 0) + Long.parseLong(m.group(1)) * 1024;
      return used;
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    return new String(out, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Stops a process tree: SIGTERM, then SIGKILL after {@code graceMs}. */
  static void stop(Process p, long graceMs) {
    List<ProcessHandle> kids = p.descendants().toList();
    p.destroy();
    try {
      if (!p.waitFor(graceMs, TimeUnit.MILLISECONDS))
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kids.forEach(
        k -> {
          if (k.isAlive()) k.destroyForcibly();
        });
  }
}

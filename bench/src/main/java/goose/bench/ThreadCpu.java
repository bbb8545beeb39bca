package goose.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A JVM process's CPU time by kind of thread, from Linux's {@code /proc/PID/task/TID/stat} and
 * {@code comm}: the main thread, the C1 and C2 compilers, the VM thread (safepoints; the serial
 * collector runs there), GC worker threads, the carriers of virtual threads and the rest.
 */
record ThreadCpu(Map<String, Double> seconds) {
  static final String MAIN = "main thread";
  static final String C1 = "C1 compiler";
  static final String C2 = "C2 compiler";
  static final String VM = "VM thread (safepoints, serial GC)";
  static final String GC = "GC worker threads";
  static final String CARRIERS = "virtual-thread carriers";
  static final String OTHER = "other threads";
  private static final String[] ORDER = {MAIN, C1, C2, VM, GC, CARRIERS, OTHER};

  static ThreadCpu of(long pid) {
    Map<String, Double> s = empty();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String comm = Files.readString(task.resolve("comm")).trim();
          String stat = Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
          double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
          s.merge(group(comm), cpu, Double::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      // the process ended: no figures
    }
    return new ThreadCpu(s);
  }

  static String group(String comm) {
    if (comm.equals("java")) return MAIN;
    if (comm.startsWith("C1 Compiler")) return C1;
    if (comm.startsWith("C2 Compiler")) return C2;
    if (comm.equals("VM Thread")) return VM;
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) return GC;
    if (comm.startsWith("ForkJoinPool")) return CARRIERS;
    return OTHER;
  }

  private static Map<String, Double> empty() {
    Map<String, Double> s = new LinkedHashMap<>();
    for (String g : ORDER) s.put(g, 0.0);
    return s;
  }

  double total() {
    return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  double of(String group) {
    return seconds.getOrDefault(group, 0.0);
  }

  double jit() {
    return of(C1) + of(C2);
  }

  /** What was used between {@code before} and this snapshot (threads that ended are lost). */
  ThreadCpu minus(ThreadCpu before) {
    Map<String, Double> s = empty();
    seconds.forEach((g, v) -> s.put(g, Math.max(0, v - before.of(g))));
    return new ThreadCpu(s);
  }
}

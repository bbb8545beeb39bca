package goose.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who used the machine's cores during a pass: goosed, this harness (the clients and the fake
 * provider run in it) and everything else (other processes), from {@code /proc/stat} and each
 * process's {@code /proc/PID/stat}.
 */
record CpuWindow(double wallSeconds, double goosed, double harness, double machineBusy, int cores) {
  /** The counters at the start of a window. */
  record Start(long nanos, double goosed, double harness, double machineBusy) {}

  static Start start(long goosedPid) {
    return new Start(
        System.nanoTime(),
        Proc.cpuSeconds(goosedPid),
        Proc.cpuSeconds(ProcessHandle.current().pid()),
        machineBusySeconds());
  }

  static CpuWindow since(Start s, long goosedPid) {
    return new CpuWindow(
        (System.nanoTime() - s.nanos()) / 1e9,
        Proc.cpuSeconds(goosedPid) - s.goosed(),
        Proc.cpuSeconds(ProcessHandle.current().pid()) - s.harness(),
        machineBusySeconds() - s.machineBusy(),
        Runtime.getRuntime().availableProcessors());
  }

  /** CPU seconds as a percentage of all cores over the window. */
  double share(double cpuSeconds) {
    return 100 * cpuSeconds / (wallSeconds * cores);
  }

  double others() {
    return Math.max(0, machineBusy - goosed - harness);
  }

  double idle() {
    return Math.max(0, wallSeconds * cores - machineBusy);
  }

  /** Busy CPU seconds of the whole machine (all but idle and iowait) from /proc/stat. */
  static double machineBusySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+", -1);
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++)
        if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
      return busy / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}

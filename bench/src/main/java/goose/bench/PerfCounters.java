package goose.bench;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The HotSpot performance counters of a running JVM ({@code jcmd PID PerfCounter.print}): when the
 * JVM was created, classes loaded (and how many came from the CDS/AOT archive), JIT compilations,
 * collections. One snapshot; subtract two for what happened in between.
 */
record PerfCounters(Map<String, String> values) {
  static PerfCounters of(String javaHome, long pid) throws IOException, InterruptedException {
    return parse(Proc.run(javaHome + "/bin/jcmd", Long.toString(pid), "PerfCounter.print"));
  }

  static PerfCounters parse(String text) {
    Map<String, String> v = new HashMap<>();
    for (String line : text.lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0) v.put(line.substring(0, eq).trim(), unquote(line.substring(eq + 1).trim()));
    }
    return new PerfCounters(Map.copyOf(v));
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }

  long number(String name) {
    try {
      return Long.parseLong(values.getOrDefault(name, "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  String text(String name) {
    return values.getOrDefault(name, "");
  }

  /** Wall-clock ms (since the epoch) when the JVM's creation began and ended. */
  long createVmBeginMs() {
    return number("sun.rt.createVmBeginTime");
  }

  long createVmEndMs() {
    return number("sun.rt.createVmEndTime");
  }

  /** Classes loaded in all: those parsed from class files and those taken from the archive. */
  long classesLoaded() {
    return number("java.cls.loadedClasses") + classesFromArchive();
  }

  long classesFromArchive() {
    return number("java.cls.sharedLoadedClasses");
  }

  long compiles() {
    return number("sun.ci.totalCompiles");
  }

  /** Time spent in JIT compilations (all compiler threads, wall), in ms. */
  double compileMs() {
    return ticksToMs(number("java.ci.totalTime"));
  }

  long youngCollections() {
    return number("sun.gc.collector.0.invocations");
  }

  double youngCollectionMs() {
    return ticksToMs(number("sun.gc.collector.0.time"));
  }

  /** The JVM options include an AOT cache ({@code -XX:AOTCache=}), as bin/goosed passes it. */
  boolean aotCacheGiven() {
    return text("java.rt.vmArgs").contains("-XX:AOTCache=");
  }

  private double ticksToMs(long ticks) {
    long hz = number("sun.os.hrt.frequency");
    return ticks < 0 || hz <= 0 ? Double.NaN : ticks * 1000.0 / hz;
  }
}

package goose.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JVM's memory goes: native memory tracking's committed KB per category ({@code jcmd PID
 * VM.native_memory summary}, with {@code -XX:NativeMemoryTracking=summary}) and the kernel's split
 * of the resident set into anonymous and file-backed pages ({@code /proc/PID/smaps_rollup}).
 */
record NativeMemory(long rssKb, long anonymousKb, long committedKb, Map<String, Long> categoryKb) {
  private static final Pattern CATEGORY =
      Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB");
  private static final Pattern TOTAL =
      Pattern.compile("(?m)^Total: reserved=(\\d+)KB, committed=(\\d+)KB");

  static NativeMemory of(String javaHome, long pid) throws IOException, InterruptedException {
    String nmt =
        Proc.run(
            javaHome + "/bin/jcmd", Long.toString(pid), "VM.native_memory", "summary", "scale=KB");
    String rollup = Files.readString(Path.of("/proc/" + pid + "/smaps_rollup"));
    return parse(nmt, rollup);
  }

  static NativeMemory parse(String nmtSummary, String smapsRollup) {
    Map<String, Long> c = new LinkedHashMap<>();
    Matcher m = CATEGORY.matcher(nmtSummary);
    while (m.find()) c.put(m.group(1).trim(), Long.parseLong(m.group(3)));
    Matcher t = TOTAL.matcher(nmtSummary);
    long committed = t.find() ? Long.parseLong(t.group(2)) : -1;
    return new NativeMemory(
        rollupKb(smapsRollup, "Rss"), rollupKb(smapsRollup, "Anonymous"), committed, c);
  }

  private static long rollupKb(String rollup, String key) {
    Matcher m = Pattern.compile("(?m)^" + key + ":\\s+(\\d+) kB").matcher(rollup);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  long fileBackedKb() {
    return rssKb - anonymousKb;
  }

  long kb(String category) {
    return categoryKb.getOrDefault(category, 0L);
  }
}

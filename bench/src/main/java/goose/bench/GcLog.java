package goose.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pauses in a JVM's {@code -Xlog:gc:file=...} log, e.g. {@code [1.048s] GC(0) Pause Young
 * (Allocation Failure) 5M->3M(15M) 29.326ms}. A window of the run is the part of the file written
 * between two offsets, so a pass is profiled without touching the server.
 */
final class GcLog {
  /** One stop-the-world collection: young or full, and how long every thread stood still. */
  record Pause(boolean young, double ms) {}

  /** The pauses of one window: how many, their sum and the longest. */
  record Summary(int count, int full, double totalMs, double maxMs) {}

  private static final Pattern PAUSE =
      Pattern.compile("GC\\(\\d+\\) Pause (Young|Full)[^\\n]*? (\\d+(?:\\.\\d+)?)ms\\s*$");

  private GcLog() {}

  static List<Pause> parse(String log) {
    List<Pause> pauses = new ArrayList<>();
    for (String line : log.lines().toList()) {
      Matcher m = PAUSE.matcher(line);
      if (m.find())
        pauses.add(new Pause(m.group(1).equals("Young"), Double.parseDouble(m.group(2))));
    }
    return pauses;
  }

  static Summary summarise(List<Pause> pauses) {
    double total = 0;
    double max = 0;
    int full = 0;
    for (Pause p : pauses) {
      total += p.ms();
      max = Math.max(max, p.ms());
      if (!p.young()) full++;
    }
    return new Summary(pauses.size(), full, total, max);
  }

  /** The file's length now: the start of a window. */
  static long offset(Path file) {
    return file.toFile().length();
  }

  /** The pauses logged since {@code from} (an {@link #offset}). */
  static Summary since(Path file, long from) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      byte[] b = new byte[(int) Math.max(0, len - from)];
      f.seek(from);
      f.readFully(b);
      return summarise(parse(new String(b, StandardCharsets.UTF_8)));
    }
  }
}

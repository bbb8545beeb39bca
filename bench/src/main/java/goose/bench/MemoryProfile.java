package goose.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One extra launch of bin/goosed with native memory tracking, after the memory figures: where the
 * resident set goes idle (1 s after the first 200, as measured) and after 100 sessions, by NMT
 * category and by the kernel's anonymous / file-backed split, and the heap after a full GC.
 */
final class MemoryProfile {
  private static final double MB = 1024;

  /** NMT's categories shown on their own rows; the rest are summed into one. */
  private static final List<String> SHOWN =
      List.of(
          "Java Heap", "Class", "Shared class space", "Code", "Thread", "GC", "Compiler", "Symbol");

  private final BenchOptions opt;
  private final FakeProvider fake;

  MemoryProfile(BenchOptions opt, FakeProvider fake) {
    this.opt = opt;
    this.fake = fake;
  }

  Explanation explain(List<String> measured) throws Exception {
    NativeMemory idle;
    NativeMemory sessions;
    long heapAfterGc;
    try (Goosed g =
        Goosed.start(
            opt.repo(),
            opt.scratch().resolve("profile-memory"),
            fake,
            "",
            Map.of("JAVA_OPTS", "-XX:NativeMemoryTracking=summary"))) {
      Thread.sleep(1000);
      idle = NativeMemory.of(opt.javaHome(), g.pid());
      for (int i = 0; i < 100; i++) g.createSession("profile " + i);
      Thread.sleep(1000);
      sessions = NativeMemory.of(opt.javaHome(), g.pid());
      heapAfterGc = Proc.heapUsedAfterGc(opt.javaHome(), g.pid());
    }
    ProfileTable.Builder t =
        ProfileTable.builder(
            "Where the memory went (one extra launch with `-XX:NativeMemoryTracking=summary`, after"
                + " the measurement; MB; NMT counts committed memory, the kernel resident pages):",
            "",
            "idle (1 s after the first 200)",
            "after 100 sessions");
    t.row("RSS", idle.rssKb() / MB, sessions.rssKb() / MB);
    t.row("of which anonymous", idle.anonymousKb() / MB, sessions.anonymousKb() / MB);
    t.row(
        "of which file-backed (libraries, jars, archive pages)",
        idle.fileBackedKb() / MB,
        sessions.fileBackedKb() / MB);
    t.row("NMT: committed in all", idle.committedKb() / MB, sessions.committedKb() / MB);
    for (String c : SHOWN) t.row("NMT: " + label(c), idle.kb(c) / MB, sessions.kb(c) / MB);
    t.row("NMT: everything else", rest(idle) / MB, rest(sessions) / MB);
    t.row("heap used after a full GC (at the end)", "", heapAfterGc / 1024.0 / MB);
    return new Explanation(Target.MEMORY, measured, List.of(t.build()), close(idle, heapAfterGc));
  }

  private static String label(String category) {
    return switch (category) {
      case "Java Heap" -> "Java heap (committed)";
      case "Metaspace" -> "metaspace (class metadata)";
      case "Class" -> "classes (class space, their malloc)";
      case "Shared class space" -> "CDS/AOT archive mapping (shared class space)";
      case "Code" -> "code cache";
      case "Thread" -> "thread stacks";
      default -> category;
    };
  }

  private static long rest(NativeMemory m) {
    Set<String> shown = Set.copyOf(SHOWN);
    return m.categoryKb().entrySet().stream()
        .filter(e -> !shown.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static String close(NativeMemory m, long heapAfterGc) {
    double classData = (m.kb("Shared class space") + m.kb("Metaspace") + m.kb("Class")) / MB;
    double heap = m.kb("Java Heap") / MB;
    double code = m.kb("Code") / MB;
    double rss = m.rssKb() / MB;
    return String.format(
        Locale.ROOT,
        "Idle, this launch's RSS was %s MB: class data %s MB (archive mapping %s, metaspace and"
            + " class space %s),"
            + " heap %s MB committed (%s MB in use after a full GC), code cache %s MB, the JIT"
            + " compilers' scratch memory %s MB (the launcher's native-memory trim gives it back"
            + " within seconds), file-backed pages %s MB. The class data and the code cache alone are %s %% of it, and without"
            + " them the rest is %s MB. JVM flags do not reach 80 MB (the heap starts at its"
            + " minimum, 16 MB; the collector is serial; native memory is trimmed): what would is"
            + " less class data and no JIT at run time, i.e. a native image, or, partly, no AOT"
            + " cache (`GOOSE_AOT=off`: metaspace instead of the mapping, less RSS, more start-up"
            + " CPU) ([docs/benchmarks.md](docs/benchmarks.md#memory-missed)).",
        Report.number(rss),
        Report.number(classData),
        Report.number(m.kb("Shared class space") / MB),
        Report.number((m.kb("Metaspace") + m.kb("Class")) / MB),
        Report.number(heap),
        Report.number(heapAfterGc / 1024.0 / MB),
        Report.number(code),
        Report.number(m.kb("Compiler") / MB),
        Report.number(m.fileBackedKb() / MB),
        Report.number(100 * (classData + code) / rss),
        Report.number(rss - classData - code));
  }
}

package goose.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parsers behind BENCHMARKS.md's profiles, on output captured from real JVMs: {@code jcmd
 * PerfCounter.print} and {@code -Xlog:gc} of a goosed server, {@code jcmd VM.native_memory summary
 * scale=KB} and {@code /proc/PID/smaps_rollup} of a JDK 25 process, and a JFR recording made here.
 */
class ProfileParsersTest {
  @Test
  void perfCountersGiveTheJvmsCreationClassesJitAndGc() throws IOException {
    PerfCounters p = PerfCounters.parse(resource("perfcounters.txt"));

    assertThat(p.createVmEndMs() - p.createVmBeginMs()).isEqualTo(463);
    assertThat(p.classesLoaded()).isEqualTo(3133 + 1410);
    assertThat(p.classesFromArchive()).isEqualTo(1410);
    assertThat(p.compiles()).isEqualTo(1789);
    assertThat(p.compileMs()).isCloseTo(8690.146, within(0.001));
    assertThat(p.youngCollections()).isEqualTo(15);
    assertThat(p.youngCollectionMs()).isCloseTo(301.864, within(0.001));
    // that server ran on the dynamic CDS archive, not an AOT cache
    assertThat(p.text("java.rt.vmArgs")).contains("-XX:SharedArchiveFile=").doesNotContain("\"");
    assertThat(p.aotCacheGiven()).isFalse();
    assertThat(p.number("no.such.counter")).isEqualTo(-1);
  }

  @Test
  void gcLogPausesAreCountedSummedAndTheLongestKept() throws IOException {
    List<GcLog.Pause> pauses = GcLog.parse(resource("gc.log"));

    assertThat(pauses)
        .containsExactly(new GcLog.Pause(true, 10.908), new GcLog.Pause(false, 11.549));
    GcLog.Summary s = GcLog.summarise(pauses);
    assertThat(s.count()).isEqualTo(2);
    assertThat(s.full()).isEqualTo(1);
    assertThat(s.totalMs()).isCloseTo(22.457, within(1e-9));
    assertThat(s.maxMs()).isEqualTo(11.549);
  }

  @Test
  void gcLogWindowCountsOnlyWhatWasWrittenSinceTheOffset(@TempDir Path dir) throws IOException {
    String log = resource("gc.log");
    Path file = dir.resolve("gc.log");
    int secondPause = log.indexOf("[7.616s]");
    Files.writeString(file, log.substring(0, secondPause));
    long offset = GcLog.offset(file);
    Files.writeString(file, log);

    GcLog.Summary s = GcLog.since(file, offset);

    assertThat(s.count()).isEqualTo(1);
    assertThat(s.full()).isEqualTo(1);
    assertThat(s.maxMs()).isEqualTo(11.549);
  }

  @Test
  void nativeMemorySummaryAndSmapsRollupAreSplitByCategory() throws IOException {
    NativeMemory m = NativeMemory.parse(resource("nmt-summary.txt"), resource("smaps_rollup.txt"));

    assertThat(m.committedKb()).isEqualTo(43892);
    assertThat(m.kb("Java Heap")).isEqualTo(16448);
    assertThat(m.kb("Shared class space")).isEqualTo(13908);
    assertThat(m.kb("Metaspace")).isEqualTo(1037);
    assertThat(m.kb("Code")).isEqualTo(7825);
    assertThat(m.kb("Thread")).isEqualTo(1340);
    assertThat(m.kb("Native Memory Tracking")).isEqualTo(162);
    assertThat(m.kb("not a category")).isZero();
    assertThat(m.categoryKb()).hasSizeGreaterThan(15);
    assertThat(m.rssKb()).isEqualTo(59236);
    assertThat(m.anonymousKb()).isPositive().isLessThan(m.rssKb());
    assertThat(m.fileBackedKb()).isEqualTo(m.rssKb() - m.anonymousKb());
  }

  @Test
  void threadNamesGoToTheirGroups() {
    assertThat(ThreadCpu.group("java")).isEqualTo(ThreadCpu.MAIN);
    assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo(ThreadCpu.C2);
    assertThat(ThreadCpu.group("C1 CompilerThre")).isEqualTo(ThreadCpu.C1);
    assertThat(ThreadCpu.group("VM Thread")).isEqualTo(ThreadCpu.VM);
    assertThat(ThreadCpu.group("GC Thread#0")).isEqualTo(ThreadCpu.GC);
    assertThat(ThreadCpu.group("ForkJoinPool-1-")).isEqualTo(ThreadCpu.CARRIERS);
    assertThat(ThreadCpu.group("qtp12345-17")).isEqualTo(ThreadCpu.OTHER);
  }

  @Test
  void thisProcessThreadsCpuIsReadFromProc() {
    ThreadCpu cpu = ThreadCpu.of(ProcessHandle.current().pid());

    assertThat(cpu.total()).isPositive();
    assertThat(cpu.seconds()).containsKeys(ThreadCpu.MAIN, ThreadCpu.C1, ThreadCpu.C2);
    assertThat(cpu.minus(cpu).total()).isZero();
  }

  @Test
  void aSampleGoesToTheMostSpecificStageOnItsStack() {
    assertThat(
            JfrStages.stage(
                List.of(
                    "org.sqlite.core.NativeDB",
                    "goose.session.SqlDatabase",
                    "goose.agent.TurnService",
                    "org.eclipse.jetty.server.Server")))
        .isEqualTo("SQLite writes and reads");
    assertThat(
            JfrStages.stage(
                List.of(
                    "com.fasterxml.jackson.core.json.UTF8StreamJsonParser",
                    "goose.provider.openai.OpenAiStream",
                    "goose.agent.Agent")))
        .isEqualTo("provider request, stream decode");
    assertThat(JfrStages.stage(List.of("goose.agent.TurnService", "io.javalin.Javalin")))
        .isEqualTo("turn start and end (TurnService, TurnRoutes)");
    assertThat(JfrStages.stage(List.of("org.eclipse.jetty.io.SocketChannelEndPoint")))
        .isEqualTo("Jetty / Javalin request handling");
    assertThat(
            JfrStages.stage(
                List.of("goose.server.http.HostCheck", "org.eclipse.jetty.server.Server")))
        .isEqualTo("goosed server: routes, filters, auth, limits (goose.server)");
    assertThat(JfrStages.stage(List.of("java.lang.Thread"))).isEqualTo(JfrStages.OTHER);
  }

  @Test
  void aJfrRecordingsCpuSamplesAreCountedByStage(@TempDir Path dir) throws Exception {
    Path jfr = dir.resolve("busy.jfr");
    try (Recording r = new Recording()) {
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      r.start();
      busyFor(Duration.ofMillis(600));
      r.stop();
      r.dump(jfr);
    }

    JfrStages.Profile p = JfrStages.read(jfr);

    // the busy loop is in goose.bench, so "other goosed code"; the test runner's threads sleep
    assertThat(p.samples()).isPositive();
    assertThat(p.byStage().get("other goosed code")).isPositive();
    assertThat(p.share("other goosed code")).isGreaterThan(0.5);
    assertThat(p.byStage().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(p.samples());
    assertThat(p.topFrames()).containsKey("goose.bench.ProfileParsersTest.busyFor");
  }

  /**
   * Spins until this thread has used {@code cpu} of CPU time (not wall time: the machine is
   * shared).
   */
  private static long busyFor(Duration cpu) {
    var threads = ManagementFactory.getThreadMXBean();
    long end = threads.getCurrentThreadCpuTime() + cpu.toNanos();
    long x = 0;
    while (threads.getCurrentThreadCpuTime() < end) {
      for (int i = 0; i < 100_000; i++) x += i ^ x;
    }
    return x;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ProfileParsersTest.class.getResourceAsStream(name)) {
      if (in == null) throw new IOException("missing test resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package goose.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * With {@code GOOSE_TEST_CPU=FILE} in the environment, appends a line per test class to FILE as the
 * class ends: its wall time, the CPU this test JVM used meanwhile, and the CPU of the processes it
 * started and waited for meanwhile (servers, {@code goose} commands, node, nginx, Chromium; Linux,
 * from {@code /proc/self/stat}). Classes run side by side share the JVM's CPU, so the figures are a
 * class's own only when they run one at a time: {@code -Dtest.parallelism=1} (CONTRIBUTING.md,
 * "Where the suite's CPU goes"). Without the variable, or off Linux, it does nothing. Registered in
 * META-INF/services of goose-core's tests and test-jar, so every module's test JVM has it.
 */
public final class ClassCpuReport implements TestExecutionListener {
  private static final long TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the JDK runs on

  private final Optional<Path> report =
      Optional.ofNullable(System.getenv("GOOSE_TEST_CPU"))
          .filter(file -> !file.isBlank())
          .map(Path::of);
  private final Map<String, Sample> started = new ConcurrentHashMap<>();

  /** Wall clock in nanoseconds; this JVM's and its reaped children's CPU in clock ticks. */
  private record Sample(long nanos, long ownTicks, long childTicks) {
    static Optional<Sample> now() {
      try {
        String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
        // Fields after the command name, which is in parentheses and may hold spaces: field 3 on.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long own = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        long children = Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime
        return Optional.of(new Sample(System.nanoTime(), own, children));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  @Override
  public void executionStarted(TestIdentifier id) {
    if (report.isEmpty()) return;
    className(id).ifPresent(name -> Sample.now().ifPresent(s -> started.put(name, s)));
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (report.isEmpty()) return;
    className(id)
        .flatMap(name -> Optional.ofNullable(started.remove(name)).map(start -> line(name, start)))
        .ifPresent(this::append);
  }

  private static Optional<String> className(TestIdentifier id) {
    return id.getSource()
        .filter(ClassSource.class::isInstance)
        .map(source -> ((ClassSource) source).getClassName());
  }

  private static String line(String name, Sample start) {
    return Sample.now()
        .map(
            end ->
                String.format(
                    "%-60s wall %7.1f s  cpu %6.1f s  children %6.1f s%n",
                    name,
                    (end.nanos() - start.nanos()) / 1e9,
                    (end.ownTicks() - start.ownTicks()) / (double) TICKS_PER_SECOND,
                    (end.childTicks() - start.childTicks()) / (double) TICKS_PER_SECOND))
        .orElse("");
  }

  private void append(String line) {
    if (line.isEmpty()) return;
    try {
      Files.writeString(
          report.orElseThrow(),
          line,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package goose.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH micro-benchmarks of the hot paths (short settings: one fork, 2 x 1 s warm-up, 3 x 1
 * s measured).
 */
final class Jmh {
  private Jmh() {}

  static void run(BenchOptions opt, Results results) throws Exception {
    Options options =
        new OptionsBuilder()
            .include("goose\\..*Benchmark")
            .forks(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(3)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgsAppend("--enable-native-access=ALL-UNNAMED")
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT) // the harness prints each result itself
            .build();
    for (RunResult r : new Runner(options).run()) {
      String name = r.getParams().getBenchmark().replaceFirst("^goose\\.", "");
      var score = r.getPrimaryResult();
      results.jmh.add(
          new Results.JmhRow(name, score.getScore(), score.getScoreError(), score.getScoreUnit()));
      results.add("jmh", name, score.getScore(), score.getScoreUnit());
    }
  }
}

package goose.bench;

/** Placeholder replaced below. */
final class Jmh {
  private Jmh() {}

  static void run(BenchOptions opt, Results results) {}
}

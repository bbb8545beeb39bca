package goose.bench;

/** Placeholder replaced below. */
final class PeerBench {
  PeerBench(BenchOptions opt, FakeProvider fake, ServerBench server, Results results) {}

  void run() {}
}

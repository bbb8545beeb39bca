package goose.bench;

import java.nio.file.Path;

/** What one run does and where: {@code --smoke} is small and skips the peers and JMH. */
record BenchOptions(
    Path repo,
    Path scratch,
    Path resultsDir,
    String javaHome,
    boolean smoke,
    boolean peers,
    boolean jmh,
    boolean writeMarkdown,
    java.util.Set<String> only) {
  static BenchOptions parse(String[] args, Path repo, Path scratch) {
    boolean smoke = false;
    boolean peers = true;
    boolean jmh = true;
    java.util.Set<String> only = new java.util.HashSet<>();
    for (String a : args) {
      if (a.startsWith("--only=")) {
        only.addAll(java.util.List.of(a.substring(7).split(",")));
        continue;
      }
      switch (a) {
        case "--smoke" -> smoke = true;
        case "--no-peers" -> peers = false;
        case "--no-jmh" -> jmh = false;
        case "-h", "--help" -> {
          System.out.println(
              """
              usage: bin/bench [--smoke] [--no-peers] [--no-jmh]
                --smoke     small counts, no peers, no JMH (CI); does not rewrite BENCHMARKS.md
                --no-peers  skip goose and opencode
                --no-jmh    skip the JMH micro-benchmarks
                --only=A,B  run only these sections (start-up, server, store, tools, browser, caching, peers, jmh); no BENCHMARKS.md""");
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
      }
    }
    if (smoke) {
      peers = false;
      jmh = false;
    }
    String javaHome = System.getProperty("java.home");
    return new BenchOptions(
        repo,
        scratch,
        repo.resolve("bench/results"),
        javaHome,
        smoke,
        peers,
        jmh,
        !smoke && only.isEmpty(),
        only);
  }

  boolean runs(String section) {
    return only.isEmpty() || only.contains(section);
  }
}

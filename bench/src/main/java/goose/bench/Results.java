package goose.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every figure of one run, in the order measured: our own rows, and the side-by-side rows with the
 * peers.
 */
final class Results {
  /** One figure; {@code target} is empty when the issue sets none, {@code met} then too. */
  record Row(
      String section,
      String metric,
      double value,
      String unit,
      String target,
      Optional<Boolean> met,
      String note,
      String load) {}

  /** One figure measured on each server; NaN where a server could not be measured. */
  record PeerRow(String metric, String unit, double goosed, double goose, double opencode) {}

  /**
   * The prompt-caching figure of one system: its model calls in the tool loop, the input tokens of
   * the first (about the prefix), and the input tokens of all of them billed at the full price,
   * written to the cache and read from it.
   */
  record CacheRow(
      String system,
      int calls,
      long firstCallInput,
      long fullPrice,
      long cacheWrites,
      long cacheReads) {
    long allInput() {
      return fullPrice + cacheWrites + cacheReads;
    }

    /** The input bill in full-price tokens: writes cost 1.25 times, reads a tenth. */
    double billedAsFullPrice() {
      return fullPrice + 1.25 * cacheWrites + 0.1 * cacheReads;
    }
  }

  final List<CacheRow> cacheRows = new ArrayList<>();
  final List<Row> rows = new ArrayList<>();
  final List<PeerRow> peerRows = new ArrayList<>();

  /** Peer name -> how it went ("ok" or why it could not be measured). */
  final Map<String, String> peerStatus = new LinkedHashMap<>();

  /** Section -> why it failed or was skipped. */
  final Map<String, String> problems = new LinkedHashMap<>();

  final List<JmhRow> jmh = new ArrayList<>();

  /** The missed targets' profiles and what would close them ({@link Explainer}). */
  final List<Explanation> explanations = new ArrayList<>();

  /** goosed's echo tool call p50 (ms) from the tools section, for the side-by-side table. */
  double goosedToolCallP50 = Double.NaN;

  record JmhRow(String benchmark, double score, double error, String unit) {}

  void add(String section, String metric, double value, String unit) {
    rows.add(new Row(section, metric, value, unit, "", Optional.empty(), "", Report.load()));
    System.out.printf("  %-58s %12s %s%n", metric, Report.number(value), unit);
  }

  /** A figure with a target: {@code atMost} true means lower is better. */
  void target(
      String section, String metric, double value, String unit, double target, String note) {
    boolean met = !Double.isNaN(value) && value <= target;
    rows.add(
        new Row(
            section,
            metric,
            value,
            unit,
            "<= " + Report.number(target),
            Optional.of(met),
            note,
            Report.load()));
    System.out.printf(
        "  %-58s %12s %-8s target <= %s %s%n",
        metric, Report.number(value), unit, Report.number(target), met ? "met" : "MISSED");
  }

  void note(String section, String metric, String note) {
    rows.add(new Row(section, metric, Double.NaN, "", "", Optional.empty(), note, Report.load()));
    System.out.printf("  %-58s %s%n", metric, note);
  }

  void problem(String section, String why) {
    problems.put(section, why);
    System.out.printf("  !! %s: %s%n", section, why);
  }
}

package goose.bench;

import java.util.Optional;

/**
 * The targets that a profile explains when a run misses them: which result rows belong to
 * each, and the anchor of its subsection in BENCHMARKS.md's "Targets missed" section.
 */
enum Target {
  START_UP("why-start-up", "Start-up to the first 200"),
  MEMORY("why-memory", "RSS idle / after 100 sessions"),
  COLD_REPLY("why-cold-reply", "The first (cold) 3,000-chunk reply"),
  RELAY_RATIO("why-relay-ratio", "3,000-chunk reply through goosed / read directly"),
  P99_ONE_TURN("why-p99-one-turn", "Added latency per event p99, one turn"),
  P99_CONCURRENT("why-p99-concurrent", "Concurrent turns: p99, completion and RSS per turn"),
  TOOL_CALL("why-tool-call", "Tool call through goosed / the MCP SDK directly"),
  OTHER("why-other", "Other targets");

  final String anchor;
  final String title;

  Target(String anchor, String title) {
    this.anchor = anchor;
    this.title = title;
  }

  /** The target a result row with a target belongs to. */
  static Target of(Results.Row row) {
    return of(row.section(), row.metric());
  }

  static Target of(String section, String metric) {
    if (section.equals("start-up")) return START_UP;
    if (metric.contains("RSS idle") || metric.contains("RSS after 100 sessions")) return MEMORY;
    if (metric.contains("(cold)")) return COLD_REPLY;
    if (metric.contains("through goosed / direct") && section.equals("relay")) return RELAY_RATIO;
    if (section.equals("relay") && metric.contains("p99")) return P99_ONE_TURN;
    if (section.equals("concurrency")) return P99_CONCURRENT;
    if (section.equals("tools")) return TOOL_CALL;
    return OTHER;
  }

  /** The target of a side-by-side row (by its metric), when the issue sets one for goosed. */
  static Optional<Target> ofPeerRow(String metric) {
    if (metric.startsWith("start-up")) return Optional.of(START_UP);
    if (metric.startsWith("RSS")) return Optional.of(MEMORY);
    if (metric.contains("cold")) return Optional.of(COLD_REPLY);
    if (metric.contains("tool call")) return Optional.of(TOOL_CALL);
    return Optional.empty();
  }
}

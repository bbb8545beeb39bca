package goose.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The run's figures as a printed table, a JSON file and BENCHMARKS.md. */
final class Report {
  private Report() {}

  static String number(double v) {
    if (Double.isNaN(v)) return "n/a";
    double a = Math.abs(v);
    if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
    if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
    if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String ratio(double ours, double theirs) {
    if (Double.isNaN(ours) || Double.isNaN(theirs) || ours == 0) return "n/a";
    return number(theirs / ours) + "x";
  }

  /** The machine the figures come from. */
  static Map<String, String> machine() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.put("cpu", grep("/proc/cpuinfo", "model name"));
    String mem = grep("/proc/meminfo", "MemTotal");
    m.put(
        "memory",
        mem.isEmpty()
            ? "unknown"
            : String.format(
                Locale.ROOT, "%.1f GB", Long.parseLong(mem.replaceAll("\\D", "")) / 1024.0 / 1024));
    m.put(
        "jdk",
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("load average at start", load());
    m.put("AOT cache (bin/aot-train)", aotCache());
    return m;
  }

  /**
   * The 1-minute load average now: every figure carries it, since other work on a shared machine
   * moves wall-clock figures.
   */
  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Whether bin/goosed starts with an AOT cache in this run (bin/bench trains one first). */
  private static String aotCache() {
    Path dir = Path.of(System.getProperty("bench.repo", "."), "goose-cli/target/aot");
    try (var files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".aot"))
          .findFirst()
          .map(f -> "used (" + f.getFileName() + ")")
          .orElse("none");
    } catch (IOException e) {
      return "none";
    }
  }

  private static String grep(String file, String key) {
    try {
      return Files.readAllLines(Path.of(file)).stream()
          .filter(l -> l.startsWith(key))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  static void printPeers(Results r) {
    if (r.peerRows.isEmpty()) return;
    System.out.println();
    System.out.printf(
        "%-44s %10s %10s %10s %9s %9s%n",
        "side by side", "goosed", "goose", "opencode", "goose/us", "oc/us");
    for (Results.PeerRow p : r.peerRows) {
      System.out.printf("%-44s %10s %10s %10s %9s %9s%n", cells(p));
    }
    r.peerStatus.forEach((k, v) -> System.out.println("  " + k + ": " + v));
  }

  static Path writeJson(Results r, BenchOptions opt, Instant at, Map<String, String> machine)
      throws IOException {
    ObjectNode root = Json.object();
    root.put("date", at.truncatedTo(ChronoUnit.SECONDS).toString());
    root.put("mode", opt.smoke() ? "smoke" : "full");
    root.set("machine", Json.MAPPER.valueToTree(machine));
    ArrayNode rows = root.putArray("results");
    for (Results.Row row : r.rows) {
      ObjectNode n =
          rows.addObject()
              .put("section", row.section())
              .put("metric", row.metric())
              .put("unit", row.unit());
      if (Double.isNaN(row.value())) n.putNull("value");
      else n.put("value", row.value());
      if (!row.target().isEmpty()) n.put("target", row.target());
      row.met().ifPresent(m -> n.put("met", m));
      if (!row.note().isEmpty()) n.put("note", row.note());
      n.put("load_average", row.load());
    }
    ArrayNode peers = root.putArray("peers");
    for (Results.PeerRow p : r.peerRows) {
      ObjectNode n = peers.addObject().put("metric", p.metric()).put("unit", p.unit());
      putNumber(n, "goosed", p.goosed());
      putNumber(n, "goose", p.goose());
      putNumber(n, "opencode", p.opencode());
    }
    root.set("prompt_caching", Json.MAPPER.valueToTree(r.cacheRows));
    root.set("peer_status", Json.MAPPER.valueToTree(r.peerStatus));
    root.set("problems", Json.MAPPER.valueToTree(r.problems));
    root.set("jmh", Json.MAPPER.valueToTree(r.jmh));
    root.set("explanations", Json.MAPPER.valueToTree(r.explanations));
    Files.createDirectories(opt.resultsDir());
    Path file =
        opt.resultsDir()
            .resolve(
                "bench-"
                    + at.truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "")
                    + ".json");
    Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    Files.writeString(opt.resultsDir().resolve("latest.json"), Files.readString(file));
    return file;
  }

  private static void putNumber(ObjectNode n, String key, double v) {
    if (Double.isNaN(v)) n.putNull(key);
    else n.put(key, v);
  }

  static void writeMarkdown(Results r, Path file, Instant at, Map<String, String> machine)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append("Generated by `bin/bench` on ")
        .append(at.truncatedTo(ChronoUnit.SECONDS))
        .append(" — do not edit by hand; ")
        .append("[docs/benchmarks.md](docs/benchmarks.md) explains each figure.\n\n");
    md.append("## Machine\n\n| | |\n|---|---|\n");
    machine.forEach((k, v) -> row(md, k, v));
    if (!r.peerRows.isEmpty()) {
      md.append("\n## Side by side (same fake provider, same run)\n\n");
      md.append(
          "| figure | goosed | goose | opencode | goose / goosed | opencode / goosed |\n|---|---:|---:|---:|---:|---:|\n");
      for (Results.PeerRow p : r.peerRows) {
        Object[] cells = cells(p);
        cells[1] = ExplainReport.goosedCell(r, p);
        row(md, cells);
      }
      md.append("\nA ratio above 1 means the peer takes more time or memory than goosed.\n\n");
      r.peerStatus.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
    }
    if (!r.cacheRows.isEmpty()) {
      md.append(
          "\n## Prompt caching: one turn, a "
              + CacheBench.STEPS
              + "-step tool loop over a prefix of about 20,000 tokens\n\n");
      md.append(
          "| system | model calls | first call's input | input at full price | written to cache (x1.25) | read from cache (x0.1) | input bill in full-price tokens | vs. no caching |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Results.CacheRow c : r.cacheRows) {
        row(
            md,
            c.system(),
            c.calls(),
            number((double) c.firstCallInput()),
            number((double) c.fullPrice()),
            number((double) c.cacheWrites()),
            number((double) c.cacheReads()),
            number(c.billedAsFullPrice()),
            number(c.billedAsFullPrice() / c.allInput()));
      }
      md.append(
          "\nTokens as the fake provider counts them (bytes of each block / 4) and bills them the way"
              + " Anthropic does ([docs/benchmarks.md](docs/benchmarks.md#prompt-caching)).\n");
    }
    String section = "";
    for (Results.Row row : r.rows) {
      if (!row.section().equals(section)) {
        section = row.section();
        md.append("\n## ")
            .append(section)
            .append("\n\n| figure | value | target | | load |\n|---|---:|---|---|---:|\n");
      }
      String met = ExplainReport.metCell(r, row);
      String value =
          Double.isNaN(row.value()) ? row.note() : number(row.value()) + " " + row.unit();
      String note = row.met().isPresent() && !row.note().isEmpty() ? " (" + row.note() + ")" : "";
      row(md, row.metric(), value, row.target(), met + note, row.load());
    }
    ExplainReport.appendMarkdown(md, r);
    if (!r.jmh.isEmpty()) {
      md.append(
          "\n## JMH micro-benchmarks (hot paths)\n\n| benchmark | score | error | unit |\n|---|---:|---:|---|\n");
      for (Results.JmhRow j : r.jmh) {
        row(md, j.benchmark(), number(j.score()), "± " + number(j.error()), j.unit());
      }
    }
    if (!r.problems.isEmpty()) {
      md.append("\n## Not measured in this run\n\n");
      r.problems.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
    }
    Files.writeString(file, md.toString());
  }

  /** A side-by-side row's cells, as the console and the Markdown table show them. */
  private static Object[] cells(Results.PeerRow p) {
    return new Object[] {
      p.metric() + " (" + p.unit() + ")",
      number(p.goosed()),
      number(p.goose()),
      number(p.opencode()),
      ratio(p.goosed(), p.goose()),
      ratio(p.goosed(), p.opencode())
    };
  }

  /** One Markdown table row: {@code | a | b | c |}. */
  private static void row(StringBuilder md, Object... cells) {
    md.append("|");
    for (Object cell : cells) md.append(' ').append(cell).append(" |");
    md.append('\n');
  }
}

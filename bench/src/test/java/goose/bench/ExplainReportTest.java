package goose.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BENCHMARKS.md's "Targets missed" section and the links to it from the tables. */
class ExplainReportTest {
  @Test
  void aMissedTargetGetsASubsectionAndItsRowsLinkToIt(@TempDir Path dir) throws Exception {
    Results r = new Results();
    r.target("start-up", "existing data dir: launch to first 200", 1.4, "s", 0.3, "");
    r.target("relay", "3000-chunk reply: through goosed / direct", 1.1, "x", 1.2, "");
    r.target("memory", "RSS idle", 120, "MB", 80, "");
    r.peerRows.add(new Results.PeerRow("start-up to first 200, median of 3", "s", 1.4, 0.05, 5));
    r.peerRows.add(new Results.PeerRow("session creation p50", "ms", 4, 128, 18));
    ProfileTable phases =
        ProfileTable.builder("Phases (ms):", "phase", "existing data dir")
            .row("creating the JVM", 700.0)
            .build();
    r.explanations.add(
        new Explanation(
            Target.START_UP, List.of("launch to first 200: 1.40 s"), List.of(phases), "Because."));

    Path md = dir.resolve("BENCHMARKS.md");
    Report.writeMarkdown(r, md, Instant.parse("2026-12-05T12:00:00Z"), Map.of("cpus", "2"));
    String text = Files.readString(md);

    assertThat(text)
        .contains(
            "| existing data dir: launch to first 200 | 1.40 s | <= 0.300 | **[missed](#why-start-up)** |")
        .contains("| 3000-chunk reply: through goosed / direct | 1.10 x | <= 1.20 | met |")
        // a missed target without a profile keeps a plain "missed"
        .contains("| RSS idle | 120 MB | <= 80.0 | **missed** |")
        .contains("| start-up to first 200, median of 3 (s) | 1.40 ([why](#why-start-up)) |")
        .contains("| session creation p50 (ms) | 4.00 |")
        .contains(ExplainReport.HEADING)
        .contains("<a id=\"why-start-up\"></a>\n### Start-up to the first 200")
        .contains("- measured: launch to first 200: 1.40 s")
        .contains("| phase | existing data dir |\n|---|---:|\n| creating the JVM | 700 |")
        .contains("**What it shows and what would close it.** Because.")
        .doesNotContain("why-memory");
  }

  @Test
  void rowsAreSortedIntoTheirTargets() {
    assertThat(Target.of("start-up", "fresh data dir: launch to first 200"))
        .isEqualTo(Target.START_UP);
    assertThat(Target.of("memory", "RSS idle")).isEqualTo(Target.MEMORY);
    assertThat(Target.of("side by side", "goosed: RSS after 100 sessions"))
        .isEqualTo(Target.MEMORY);
    assertThat(Target.of("side by side", "goosed: 3,000-chunk reply, the first after start (cold)"))
        .isEqualTo(Target.COLD_REPLY);
    assertThat(Target.of("relay", "3000-chunk reply: through goosed / direct"))
        .isEqualTo(Target.RELAY_RATIO);
    assertThat(Target.of("relay", "added latency per event, p99")).isEqualTo(Target.P99_ONE_TURN);
    assertThat(Target.of("concurrency", "5000 concurrent turns: errors"))
        .isEqualTo(Target.P99_CONCURRENT);
    assertThat(Target.of("tools", "echo through goosed / direct (p50)"))
        .isEqualTo(Target.TOOL_CALL);
    assertThat(Target.of("api", "GET /sessions?limit=50 p99")).isEqualTo(Target.OTHER);
    assertThat(Target.ofPeerRow("echo tool call (MCP stdio), tool_call -> result p50"))
        .contains(Target.TOOL_CALL);
    assertThat(Target.ofPeerRow("session creation p50")).isEmpty();
  }
}

package goose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The web UI in a real browser (docs/web-ui.md): testing/web-ui/bench.mjs drives Debian's chromium
 * with playwright-core against a goosed on the fake provider, and reports the time to render a
 * 3,000-chunk reply, the longest main-thread task meanwhile (a frozen page is one long task), and
 * the first render of the page. Not measured (a note, not a failure) where chromium is not
 * installed.
 */
final class BrowserBench {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String SECTION = "browser";
  private final BenchOptions opt;
  private final FakeProvider fake;
  private final Results results;

  BrowserBench(BenchOptions opt, FakeProvider fake, Results results) {
    this.opt = opt;
    this.fake = fake;
    this.results = results;
  }

  void run() throws Exception {
    Path scripts = opt.repo().resolve("testing/web-ui");
    if (!Files.isExecutable(CHROMIUM)) {
      results.note(SECTION, "web UI", "not measured: chromium is not installed");
      return;
    }
    if (!Files.isDirectory(scripts.resolve("node_modules/playwright-core")))
      throw new IllegalStateException("testing/web-ui is not installed (npm ci)");
    try (Goosed goosed =
        Goosed.start(opt.repo(), opt.scratch().resolve("browser"), fake, "", Map.of())) {
      for (int i = 0; i < 100; i++) goosed.createSession("session " + i);
      String session = goosed.createSession("browser bench");
      ProcessBuilder pb =
          new ProcessBuilder("node", "bench.mjs")
              .directory(scripts.toFile())
              .redirectErrorStream(true);
      pb.environment().put("GOOSE_URL", goosed.url(""));
      pb.environment().put("SESSION_ID", session);
      pb.environment().put("CHROMIUM", CHROMIUM.toString());
      Process node = pb.start();
      List<String> output = new ArrayList<>();
      JsonNode result = null;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          output.add(line);
          if (line.startsWith("@result ")) result = Json.MAPPER.readTree(line.substring(8));
        }
      }
      if (!node.waitFor(5, TimeUnit.MINUTES)) node.destroyForcibly();
      if (node.exitValue() != 0 || result == null)
        throw new IllegalStateException("bench.mjs failed: " + String.join("\n", output));
      results.add(
          SECTION,
          "web UI: 3,000-chunk reply, Send to fully rendered",
          result.get("reply_ms").asDouble(),
          "ms");
      results.add(
          SECTION,
          "web UI: the same reply read from the API without a browser",
          result.get("server_alone_ms").asDouble(),
          "ms");
      results.add(
          SECTION,
          "web UI: longest main-thread task during that reply",
          result.get("longest_task_ms").asDouble(),
          "ms");
      results.add(
          SECTION,
          "web UI: main-thread tasks over 50 ms during that reply",
          result.get("long_tasks").asDouble(),
          "tasks");
      results.add(
          SECTION,
          "web UI: first render (load to sessions and conversation shown), median of 5",
          result.get("first_render_ms").asDouble(),
          "ms");
    }
  }
}

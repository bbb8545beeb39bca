package goose.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording's CPU samples ({@code jdk.ExecutionSample}) counted by the stage of a turn they
 * fall in: each sample goes to the first stage in {@link #STAGES} that has a frame anywhere on its
 * stack (so the SQLite write a turn's start makes counts as SQLite, the JSON a decoder parses as
 * the decoder), else to "other". Also the methods most often on top of the stack.
 */
final class JfrStages {
  /** Stage name and the class-name prefixes that mark it, most specific first. */
  private record Stage(String name, List<String> prefixes) {}

  /** Sample counts by stage and by top frame, and the total. */
  record Profile(int samples, Map<String, Integer> byStage, Map<String, Integer> topFrames) {
    double share(String stage) {
      return samples == 0 ? 0 : (double) byStage.getOrDefault(stage, 0) / samples;
    }
  }

  static final String OTHER = "other (JDK, virtual-thread scheduling, ...)";

  private static final List<Stage> STAGES =
      List.of(
          new Stage(
              "SQLite writes and reads",
              List.of("org.sqlite.", "goose.session.Sql", "com.zaxxer.hikari.")),
          new Stage("SSE write and flush", List.of("goose.server.turn.SseWriter")),
          new Stage(
              "event log and SSE follower", List.of("goose.event.", "goose.server.turn.Event")),
          new Stage("provider HTTP client (Apache)", List.of("org.apache.hc.")),
          new Stage("provider request, stream decode", List.of("goose.provider.")),
          new Stage(
              "agent loop (Agent, EventWriter, prompt, tools)",
              List.of(
                  "goose.agent.Agent",
                  "goose.agent.EventWriter",
                  "goose.agent.SystemPrompt",
                  "goose.agent.PromptText",
                  "goose.agent.RequestBuilder",
                  "goose.agent.ResponseReader",
                  "goose.agent.ToolExecutor")),
          new Stage(
              "turn start and end (TurnService, TurnRoutes)",
              List.of("goose.agent.", "goose.server.turn.TurnRoutes")),
          new Stage(
              "goosed server: routes, filters, auth, limits (goose.server)",
              List.of("goose.server.")),
          new Stage(
              "goosed messages and JSON (goose.json, goose.conversation)",
              List.of("goose.json.", "goose.conversation.")),
          new Stage("other goosed code", List.of("goose.")),
          new Stage("JSON (Jackson)", List.of("com.fasterxml.jackson.")),
          new Stage(
              "Jetty / Javalin request handling", List.of("org.eclipse.jetty.", "io.javalin.")));

  private JfrStages() {}

  static Profile read(Path jfr) throws IOException {
    Map<String, Integer> byStage = new LinkedHashMap<>();
    STAGES.forEach(s -> byStage.put(s.name(), 0));
    byStage.put(OTHER, 0);
    Map<String, Integer> top = new LinkedHashMap<>();
    int n = 0;
    try (RecordingFile file = new RecordingFile(jfr)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null)
          continue;
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        if (frames.isEmpty()) continue;
        n++;
        byStage.merge(stage(frames.stream().map(JfrStages::className).toList()), 1, Integer::sum);
        RecordedFrame inner =
            frames.stream()
                .filter(f -> className(f).startsWith("goose."))
                .findFirst()
                .orElse(frames.get(0));
        top.merge(className(inner) + "." + inner.getMethod().getName(), 1, Integer::sum);
      }
    }
    return new Profile(n, byStage, top);
  }

  /** The stage of a stack given as class names, innermost first. */
  static String stage(List<String> classes) {
    for (Stage s : STAGES) {
      for (String c : classes) {
        for (String p : s.prefixes()) if (c.startsWith(p)) return s.name();
      }
    }
    return OTHER;
  }

  private static String className(RecordedFrame f) {
    return f.getMethod().getType().getName();
  }
}

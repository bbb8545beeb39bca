package goose.cli.acp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scenario script printed: every message in order with its direction ({@code in} from the
 * agent, {@code out} to it), step marks, and each step's result.
 */
record Transcript(List<JsonNode> entries, JsonNode results) {
  static Transcript of(JsonNode printed) {
    List<JsonNode> entries = new ArrayList<>();
    printed.get("transcript").forEach(entries::add);
    return new Transcript(entries, printed.get("results"));
  }

  JsonNode result(String step) {
    JsonNode r = results.path(step);
    if (r.has("error")) throw new AssertionError("step " + step + " failed: " + r.get("error"));
    return r;
  }

  /** The messages of one step, from its mark to the next. */
  List<JsonNode> step(String name) {
    List<JsonNode> out = new ArrayList<>();
    boolean inside = false;
    for (JsonNode e : entries) {
      if (e.get("dir").asText().equals("step")) {
        inside = e.path("message").path("step").asText().equals(name);
        continue;
      }
      if (inside) out.add(e);
    }
    return out;
  }

  /** The session updates the agent sent during a step. */
  List<JsonNode> updates(String name) {
    return step(name).stream()
        .filter(e -> e.get("dir").asText().equals("in"))
        .map(e -> e.get("message"))
        .filter(m -> m.path("method").asText().equals("session/update"))
        .map(m -> m.path("params").path("update"))
        .toList();
  }

  List<JsonNode> updates(String name, String kind) {
    return updates(name).stream()
        .filter(u -> u.path("sessionUpdate").asText().equals(kind))
        .toList();
  }

  /** Requests the agent made of the client during a step (session/request_permission). */
  List<JsonNode> agentRequests(String name) {
    return step(name).stream()
        .filter(e -> e.get("dir").asText().equals("in"))
        .map(e -> e.get("message"))
        .filter(m -> m.has("method") && m.has("id"))
        .toList();
  }

  /** The kinds of message of a step, in order: methods, update kinds, "result". */
  List<String> shape(String name) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : step(name)) {
      JsonNode m = e.get("message");
      String dir = e.get("dir").asText();
      if (m.path("method").asText().equals("session/update"))
        out.add(dir + " " + m.path("params").path("update").path("sessionUpdate").asText());
      else if (m.has("method")) out.add(dir + " " + m.get("method").asText());
      else out.add(dir + (m.has("error") ? " error" : " result"));
    }
    return out;
  }
}

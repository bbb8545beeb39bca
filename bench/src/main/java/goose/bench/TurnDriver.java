package goose.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs one turn on goosed over real HTTP/SSE and keeps the timings the figures need. */
final class TurnDriver {
  /** What one turn gave: its status, chunk count, stop reason and the times of its events. */
  record Result(
      int status,
      int chunks,
      boolean complete,
      String stopReason,
      String turnError,
      long sentNanos,
      long firstChunkNanos,
      long endNanos,
      long toolCallNanos,
      long toolResultNanos,
      List<Long> addedNanos) {
    /** The stop reason, with the turn_error event's code and message when the turn failed. */
    String outcome() {
      return turnError.isEmpty() ? stopReason : stopReason + " (" + turnError + ")";
    }

    boolean ok(int expectedChunks) {
      // goosed may merge chunks that arrive faster than it stores them; when the fake stamped each
      // chunk,
      // count the stamps (the text is complete) rather than the events.
      int received = addedNanos.isEmpty() ? chunks : addedNanos.size();
      return status == 200
          && complete
          && "end_turn".equals(stopReason)
          && received >= expectedChunks;
    }
  }

  private TurnDriver() {}

  static String directive(String id, int chunks, long delayMs, boolean stamp, String tool) {
    return "[bench id="
        + id
        + " chunks="
        + chunks
        + " delay_ms="
        + delayMs
        + (stamp ? " stamp=1" : "")
        + (tool.isEmpty() ? "" : " tool=" + tool)
        + "]";
  }

  /** A reply of {@code chunks} text chunks written as fast as the fake can. */
  static String burst(int chunks) {
    return directive("", chunks, 0, false, "");
  }

  /**
   * A reply of {@code chunks} text chunks with {@code gapMicros} between them: a provider slower
   * than the fake's raw socket writes (a model server in an interpreted language, say).
   */
  static String paced(int chunks, long gapMicros) {
    return "[bench chunks=" + chunks + " delay_ms=0 gap_us=" + gapMicros + "]";
  }

  static Result run(int port, String sessionId, String prompt, int timeoutMs) throws IOException {
    String body = "{\"content\":\"" + prompt + "\"}";
    long[] t = new long[4]; // first chunk, end, tool call, tool result
    int[] chunks = {0};
    boolean[] complete = {false};
    String[] stop = {""};
    String[] turnError = {""};
    List<Long> added = new ArrayList<>();
    long sent = System.nanoTime();
    int status =
        SseCall.run(
            port,
            "POST",
            "/sessions/" + sessionId + "/messages",
            Map.of(),
            body,
            timeoutMs,
            e -> {
              switch (e.name()) {
                case "message_chunk" -> {
                  if (chunks[0]++ == 0) t[0] = e.atNanos();
                  stamps(e.data(), e.atNanos(), added);
                }
                case "tool_call" -> t[2] = e.atNanos();
                case "tool_result" -> t[3] = e.atNanos();
                case "turn_error" ->
                    turnError[0] = field(e.data(), "code") + ": " + field(e.data(), "message");
                case "message_complete" -> {
                  complete[0] = true;
                  t[1] = e.atNanos();
                  stop[0] = field(e.data(), "stop_reason");
                  return false;
                }
                default -> {}
              }
              return true;
            });
    if (t[1] == 0) t[1] = System.nanoTime();
    return new Result(
        status, chunks[0], complete[0], stop[0], turnError[0], sent, t[0], t[1], t[2], t[3], added);
  }

  /** Collects receive time minus the send stamps ({@code nanoTime;}) in a chunk's text. */
  static void stamps(String data, long at, List<Long> added) {
    String text = field(data, "text");
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ';') {
        try {
          added.add(at - Long.parseLong(text.substring(start, i)));
        } catch (NumberFormatException ignored) {
          // not a stamp
        }
        start = i + 1;
      }
    }
  }

  /**
   * A string field of a flat JSON object, enough for our own events' {@code text} and {@code
   * stop_reason}.
   */
  static String field(String json, String name) {
    String key = "\"" + name + "\":\"";
    int i = json.indexOf(key);
    if (i < 0) return "";
    int end = json.indexOf('"', i + key.length());
    return end < 0 ? "" : json.substring(i + key.length(), end);
  }
}

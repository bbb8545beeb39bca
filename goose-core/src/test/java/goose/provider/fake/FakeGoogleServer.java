package goose.provider.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fake Gemini API ({@code POST /v1beta/models/MODEL:streamGenerateContent?alt=sse}) speaking its
 * exact SSE format: {@code data:} lines separated by CRLF CRLF, each a whole
 * GenerateContentResponse (text parts, whole functionCall parts, finishReason, usageMetadata); the
 * stream simply ends.
 */
public final class FakeGoogleServer extends FakeHttpServer {

  public static FakeReply.Stream text(String... chunks) {
    return script().text(chunks).build();
  }

  public static Script script() {
    return new Script();
  }

  public static FakeReply.Status contextTooLong() {
    return error(
        400,
        "INVALID_ARGUMENT",
        "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).");
  }

  public static FakeReply.Status rateLimited(int retryAfterSeconds) {
    FakeReply.Status s =
        error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
    return FakeReply.status(
        429,
        Map.of(
            "content-type", "application/json", "retry-after", Integer.toString(retryAfterSeconds)),
        s.body());
  }

  public static FakeReply.Status serverError() {
    return error(500, "INTERNAL", "An internal error has occurred.");
  }

  public static FakeReply.Status error(int code, String status, String message) {
    ObjectNode body = Json.object();
    body.putObject("error").put("code", code).put("message", message).put("status", status);
    return FakeReply.status(code, Json.write(body));
  }

  /** Builds one streamed response. */
  public static final class Script {
    private final List<ObjectNode> parts = new ArrayList<>();
    private String finishReason = "STOP";
    private long promptTokens = 20;
    private long outputTokens = 7;
    private long cachedTokens;

    /** Each chunk is sent as its own response object. */
    public Script text(String... chunks) {
      for (String c : chunks) parts.add(Json.object().put("text", c));
      return this;
    }

    public Script thought(String text) {
      parts.add(Json.object().put("text", text).put("thought", true));
      return this;
    }

    public Script functionCall(String name, ObjectNode args) {
      ObjectNode part = Json.object();
      part.putObject("functionCall").put("name", name).set("args", args);
      parts.add(part);
      return this;
    }

    public Script finishReason(String reason) {
      this.finishReason = reason;
      return this;
    }

    public Script usage(long prompt, long output) {
      this.promptTokens = prompt;
      this.outputTokens = output;
      return this;
    }

    /** {@code cachedContentTokenCount}: the part of the prompt read from Gemini's cache. */
    public Script cachedTokens(long cached) {
      this.cachedTokens = cached;
      return this;
    }

    public FakeReply.Stream build() {
      List<String> all = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        boolean last = i == parts.size() - 1;
        all.add(response(List.of(parts.get(i)), last ? finishReason : null, last));
      }
      if (parts.isEmpty()) all.add(response(List.of(), finishReason, true));
      return FakeReply.Stream.of("text/event-stream", all);
    }

    private String response(List<ObjectNode> ps, String finish, boolean withUsage) {
      ObjectNode r = Json.object();
      ObjectNode cand = r.putArray("candidates").addObject();
      ObjectNode content = cand.putObject("content");
      ps.forEach(content.putArray("parts")::add);
      content.put("role", "model");
      if (finish != null) cand.put("finishReason", finish);
      cand.put("index", 0);
      ObjectNode usage = r.putObject("usageMetadata").put("promptTokenCount", promptTokens);
      if (withUsage) {
        usage
            .put("candidatesTokenCount", outputTokens)
            .put("totalTokenCount", promptTokens + outputTokens);
        if (cachedTokens > 0) usage.put("cachedContentTokenCount", cachedTokens);
      } else usage.put("totalTokenCount", promptTokens);
      r.put("modelVersion", "gemini-fake").put("responseId", "fake01");
      return "data: " + Json.write(r) + "\r\n\r\n";
    }
  }
}

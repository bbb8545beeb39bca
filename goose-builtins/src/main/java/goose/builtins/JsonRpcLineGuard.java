package goose.builtins;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * Stands between a stdio MCP server's real stdin and the MCP SDK's transport, one line (one
 * message) at a time. The SDK stops reading for good after a line it cannot parse, and never tells
 * anyone when stdin ends; so this reads stdin itself, answers what is not a JSON-RPC message as
 * JSON-RPC 2.0 says (-32700 parse error for a line that is not JSON, -32600 invalid request for a
 * batch, a non-object or an object that is no request, notification or response), passes every
 * well-formed message on, and returns when stdin ends so the server can exit.
 *
 * <p>Hand-written because the SDK has no hook for it: it is a line filter, not a protocol
 * implementation. Error lines and the SDK's own lines go to stdout through {@link #output}, which
 * writes whole lines only, so they never interleave.
 */
final class JsonRpcLineGuard {
  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;

  /** After stdin ends, how long requests already passed on may take to be answered. */
  private static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(10);

  private static final com.fasterxml.jackson.databind.ObjectReader STRICT =
      Json.MAPPER
          .reader()
          .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final InputStream stdin;
  private final LineOutput output;
  private final Feed feed = new Feed();

  /** Ids of requests passed on and not answered yet (as JSON text: 7 and "7" differ). */
  private final java.util.Set<String> unanswered =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  JsonRpcLineGuard(InputStream stdin, OutputStream stdout) {
    this.stdin = stdin;
    this.output = new LineOutput(stdout, unanswered);
  }

  /** What the SDK's transport reads: the well-formed messages, then end of stream. */
  InputStream sdkInput() {
    return feed;
  }

  /** What the SDK's transport writes to: stdout, whole lines at a time. */
  OutputStream output() {
    return output;
  }

  /**
   * Reads stdin until it ends (blocking); every line is passed on or answered. Returns once the
   * requests passed on are answered too (at most {@link #DRAIN} after the end of stdin), so a
   * client that sends a request and closes stdin still gets its answer.
   */
  void run() throws InterruptedException {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) continue;
        Optional<JsonNode> checked = check(line);
        if (checked.isEmpty()) continue;
        JsonNode message = checked.get();
        JsonNode id = message.get("id");
        if (message.has("method") && id != null && !id.isNull()) unanswered.add(id.toString());
        feed.add(Json.write(message));
      }
    } catch (IOException e) {
      // stdin broke: the same as its end
    }
    long deadline = System.nanoTime() + DRAIN.toNanos();
    while (!unanswered.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
    feed.end();
  }

  /** The message to pass on; empty when the line was not one (and has been answered). */
  private Optional<JsonNode> check(String line) {
    JsonNode node;
    try {
      node = STRICT.readTree(line);
    } catch (JacksonException e) {
      return answer(null, PARSE_ERROR, "Parse error: the line is not JSON");
    }
    if (node == null || node.isMissingNode())
      return answer(null, PARSE_ERROR, "Parse error: the line is not JSON");
    if (node.isArray())
      return answer(
          null, INVALID_REQUEST, "Invalid Request: JSON-RPC batches are not supported by MCP");
    if (!node.isObject())
      return answer(null, INVALID_REQUEST, "Invalid Request: a message must be a JSON object");
    JsonNode id = node.get("id");
    boolean idValid = id == null || id.isTextual() || id.isIntegralNumber() || id.isNull();
    JsonNode answerId = idValid && id != null && !id.isNull() ? id : null;
    if (!idValid)
      return answer(null, INVALID_REQUEST, "Invalid Request: id must be a string or a number");
    if (!"2.0".equals(node.path("jsonrpc").asText(null)))
      return answer(answerId, INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"");
    JsonNode method = node.get("method");
    if (method != null) {
      if (!method.isTextual())
        return answer(answerId, INVALID_REQUEST, "Invalid Request: method must be a string");
      JsonNode params = node.get("params");
      if (params != null && !params.isObject() && !params.isArray() && !params.isNull())
        return answer(
            answerId, INVALID_REQUEST, "Invalid Request: params must be an object or an array");
      return Optional.of(node);
    }
    if (id != null && (node.has("result") || node.has("error")))
      return Optional.of(node); // a response
    return answer(
        answerId,
        INVALID_REQUEST,
        "Invalid Request: neither a request, a notification nor a response");
  }

  /** Answers the line with a JSON-RPC error itself; nothing is passed on. */
  private Optional<JsonNode> answer(@Nullable JsonNode id, int code, String message) {
    ObjectNode error = Json.object().put("jsonrpc", "2.0");
    if (id == null) error.putNull("id");
    else error.set("id", id);
    error.putObject("error").put("code", code).put("message", message);
    output.writeLine(Json.write(error));
    return Optional.empty();
  }

  /** Lines queued for the SDK, read as one stream; ends after {@link #end()}. */
  private static final class Feed extends InputStream {
    private static final byte[] END = new byte[0];
    private final LinkedBlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    void add(String line) {
      lines.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void end() {
      lines.add(END);
    }

    @Override
    public synchronized int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      while (pos >= current.length) {
        if (ended) return -1;
        try {
          current = lines.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        pos = 0;
        if (current == END) {
          ended = true;
          return -1;
        }
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** stdout, written a whole line at a time whoever writes. */
  private static final class LineOutput extends OutputStream {
    private final OutputStream out;
    private final java.util.Set<String> unanswered;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    LineOutput(OutputStream out, java.util.Set<String> unanswered) {
      this.out = out;
      this.unanswered = unanswered;
    }

    @Override
    public synchronized void write(int b) {
      pending.write(b);
      if (b == '\n') flushLine();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) write(b[i]);
    }

    synchronized void writeLine(String line) {
      byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void flushLine() {
      try {
        pending.writeTo(out);
        out.flush();
        answered(pending.toString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        pending.reset();
      }
    }

    /** A response of the SDK: its request is answered. */
    private void answered(String line) {
      if (unanswered.isEmpty()) return;
      try {
        JsonNode node = Json.MAPPER.readTree(line);
        JsonNode id = node.get("id");
        if (id != null && !node.has("method")) unanswered.remove(id.toString());
      } catch (JacksonException e) {
        // not ours to judge: the SDK wrote it
      }
    }

    @Override
    public synchronized void flush() {
      // lines are flushed when complete; a partial line waits for its end
    }
  }
}

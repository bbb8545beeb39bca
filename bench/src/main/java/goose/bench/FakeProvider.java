package goose.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A fake LLM provider for benchmarks, on 127.0.0.1: OpenAI Chat Completions ({@code
 * /chat/completions}) and Anthropic Messages ({@code /v1/messages}), both streamed. Unlike the test
 * fakes it needs no script: every request is answered from a directive in its last user message,
 * {@code [bench id=K chunks=N delay_ms=D gap_us=G first_ms=F stamp=1 tool=NAME]}, so any client
 * (goosed, goose, opencode) can drive it through its own prompt. With {@code stamp=1} each chunk's
 * text is the {@link System#nanoTime()} at which it was written, so the harness (same JVM, same
 * clock) measures the latency every relay adds per event. The time of each reply's first body byte
 * is kept by {@code id}. Written on raw sockets to keep the fake's own cost out of the figures: one
 * virtual thread per connection, keep-alive, each chunk its own write.
 */
public final class FakeProvider implements AutoCloseable {
  private static final Pattern DIRECTIVE = Pattern.compile("\\[bench([^\\]]*)\\]");
  private static final Pattern PARAM = Pattern.compile("(\\w+)=([\\w.-]+)");

  /** What one reply looks like. */
  record Plan(
      String id,
      int chunks,
      long delayMs,
      long gapMicros,
      long firstMs,
      boolean stamp,
      String tool,
      int loop) {
    static Plan parse(String body) {
      Matcher m = DIRECTIVE.matcher(body);
      String last = null;
      while (m.find()) last = m.group(1);
      Map<String, String> p = new java.util.HashMap<>();
      if (last != null) {
        Matcher pm = PARAM.matcher(last);
        while (pm.find()) p.put(pm.group(1), pm.group(2));
      }
      return new Plan(
          p.getOrDefault("id", ""),
          Integer.parseInt(p.getOrDefault("chunks", "5")),
          Long.parseLong(p.getOrDefault("delay_ms", "0")),
          Long.parseLong(p.getOrDefault("gap_us", "0")),
          Long.parseLong(p.getOrDefault("first_ms", "0")),
          "1".equals(p.get("stamp")),
          p.getOrDefault("tool", ""),
          Integer.parseInt(p.getOrDefault("loop", "0")));
    }

    /**
     * The directive's tool as the request offers it: {@code tool=echo} becomes an offered {@code
     * ext__echo} (each agent prefixes an MCP server's tools its own way); unchanged when the
     * request offers the name itself or no such tool.
     */
    Plan offered(String body) {
      if (tool.isEmpty() || body.contains("\"" + tool + "\"")) return this;
      Matcher m =
          Pattern.compile("\"name\":\\s*\"([\\w-]+__" + Pattern.quote(tool) + ")\"").matcher(body);
      return m.find()
          ? new Plan(id, chunks, delayMs, gapMicros, firstMs, stamp, m.group(1), loop)
          : this;
    }
  }

  /**
   * The Anthropic calls of one directive id that offered tools (title and other side requests left
   * out): how many, what the first one carried, and the sum of their bills.
   */
  record Tally(int calls, long firstInput, long input, long cacheRead, long cacheWrite) {
    Tally plus(PromptCacheSim.Bill bill) {
      return new Tally(
          calls + 1,
          calls == 0 ? bill.total() : firstInput,
          input + bill.input(),
          cacheRead + bill.cacheRead(),
          cacheWrite + bill.cacheWrite());
    }
  }

  private final PromptCacheSim cache = new PromptCacheSim();
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

  private final ServerSocket server;
  private final Map<String, Long> firstByteNanos = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean closed;

  public FakeProvider() throws IOException {
    server = new ServerSocket(0, 8192, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("fake-accept").start(this::accept);
  }

  /** Runs the fake alone (to try a client by hand): prints its base URL and serves until killed. */
  public static void main(String[] args) throws Exception {
    try (FakeProvider fake = new FakeProvider()) {
      System.out.println(fake.baseUrl());
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * The settings that point goosed or goose at this fake as an Anthropic endpoint serving {@code
   * model}.
   */
  public java.util.Map<String, String> anthropicEnv(String model) {
    return java.util.Map.of(
        "GOOSE_PROVIDER",
        "anthropic",
        "ANTHROPIC_HOST",
        baseUrl(),
        "ANTHROPIC_API_KEY",
        "sk-bench",
        "GOOSE_MODEL",
        model);
  }

  public long requests() {
    return requests.get();
  }

  /** The tool-offering Anthropic calls of the {@code loop=N} directive {@code id}, if any. */
  public java.util.Optional<Tally> tally(String id) {
    return java.util.Optional.ofNullable(tallies.get(id));
  }

  /** When the first body byte of the reply to directive {@code id} was written, if it was. */
  public @Nullable Long firstByteNanos(String id) {
    return firstByteNanos.get(id);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        if (!closed) System.err.println("fake provider: accept: " + e.getMessage());
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16384);
      OutputStream out = socket.getOutputStream();
      while (true) {
        Request r = Request.read(in);
        if (r == null) return;
        requests.incrementAndGet();
        if (r.method.equals("POST") && r.path.endsWith("/chat/completions")) {
          stream(
              out,
              Plan.parse(r.body).offered(r.body),
              WireFormat.OPENAI,
              toolResultPresent(r.body, WireFormat.OPENAI));
        } else if (r.method.equals("POST")
            && r.path.endsWith("/messages")
            && Plan.parse(r.body).loop() > 0) {
          toolLoop(out, Plan.parse(r.body), goose.json.Json.parse(r.body));
        } else if (r.method.equals("POST") && r.path.endsWith("/messages")) {
          stream(
              out,
              Plan.parse(r.body).offered(r.body),
              WireFormat.ANTHROPIC,
              toolResultPresent(r.body, WireFormat.ANTHROPIC));
        } else if (r.method.equals("GET") && r.path.endsWith("/models")) {
          plain(
              out,
              200,
              "{\"object\":\"list\",\"data\":[{\"id\":\"bench-model\",\"object\":\"model\"}]}");
        } else {
          plain(out, 404, "{\"error\":{\"message\":\"fake provider: no route " + r.path + "\"}}");
        }
        if (r.close) return;
      }
    } catch (IOException | InterruptedException e) {
      // the client went away
    }
  }

  /**
   * Whether the conversation ends with a tool result (after the last directive): then the tool was
   * called.
   */
  private static boolean toolResultPresent(String body, WireFormat format) {
    String marker = format == WireFormat.OPENAI ? "\"role\":\"tool\"" : "\"tool_result\"";
    return body.lastIndexOf(marker) > body.lastIndexOf("[bench");
  }

  private static void plain(OutputStream out, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    out.write(
        ("HTTP/1.1 "
                + status
                + " X\r\ncontent-type: application/json\r\ncontent-length: "
                + b.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
  }

  private void stream(OutputStream out, Plan plan, WireFormat format, boolean afterTool)
      throws IOException, InterruptedException {
    out.write(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    if (plan.firstMs > 0) Thread.sleep(plan.firstMs);
    boolean first = true;
    for (String frame : format.head()) {
      chunk(out, frame);
      if (first && !plan.id.isEmpty()) firstByteNanos.put(plan.id, System.nanoTime());
      first = false;
    }
    if (!plan.tool.isEmpty() && !afterTool) {
      for (String frame : format.toolCall(plan.tool, "{\"message\":\"bench echo\"}"))
        chunk(out, frame);
      for (String frame : format.tail(true)) chunk(out, frame);
    } else {
      int n = afterTool ? 1 : plan.chunks;
      for (int i = 0; i < n; i++) {
        if (plan.delayMs > 0 && i > 0) Thread.sleep(plan.delayMs);
        if (plan.gapMicros > 0 && i > 0) LockSupport.parkNanos(plan.gapMicros * 1000);
        String text = plan.stamp ? System.nanoTime() + ";" : (i == 0 ? "w" : " w");
        chunk(out, format.text(text));
      }
      for (String frame : format.tail(false)) chunk(out, frame);
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /**
   * One step of a {@code loop=N} tool loop (Anthropic): a call of the request's shell tool ({@code
   * echo step K}) until N results came back after the directive, then a short text; usage as
   * Anthropic bills it with prompt caching ({@link PromptCacheSim}).
   */
  private void toolLoop(
      OutputStream out, Plan plan, com.fasterxml.jackson.databind.JsonNode request)
      throws IOException {
    PromptCacheSim.Bill bill = cache.bill(request);
    String shell = "";
    for (com.fasterxml.jackson.databind.JsonNode t : request.path("tools")) {
      if (t.path("name").asText().endsWith("shell")) shell = t.path("name").asText();
    }
    if (!shell.isEmpty())
      tallies.merge(plan.id(), new Tally(0, 0, 0, 0, 0).plus(bill), (a, b) -> a.plus(bill));
    int done = resultsAfterDirective(request);
    out.write(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    chunk(out, WireFormat.anthropicStart(bill.input(), bill.cacheRead(), bill.cacheWrite()));
    boolean call = !shell.isEmpty() && done < plan.loop();
    if (call) {
      for (String frame :
          WireFormat.anthropicToolCall(
              "toolu_bench_" + (done + 1), shell, "{\"command\":\"echo step " + (done + 1) + "\"}"))
        chunk(out, frame);
    } else {
      chunk(out, WireFormat.ANTHROPIC.text("done"));
    }
    for (String frame : WireFormat.ANTHROPIC.tail(call)) chunk(out, frame);
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Tool results in the messages after the last one holding a directive. */
  private static int resultsAfterDirective(com.fasterxml.jackson.databind.JsonNode request) {
    com.fasterxml.jackson.databind.JsonNode messages = request.path("messages");
    int start = 0;
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).toString().contains("[bench")) start = i;
    }
    int results = 0;
    for (int i = start; i < messages.size(); i++) {
      for (com.fasterxml.jackson.databind.JsonNode block : messages.get(i).path("content")) {
        if ("tool_result".equals(block.path("type").asText())) results++;
      }
    }
    return results;
  }

  private static void chunk(OutputStream out, String frame) throws IOException {
    byte[] b = frame.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.write('\r');
    out.write('\n');
    out.flush();
  }

  /** One HTTP/1.1 request: Content-Length or chunked body. */
  private record Request(String method, String path, String body, boolean close) {
    static @Nullable Request read(InputStream in) throws IOException {
      String line = HttpLines.readLine(in);
      while (line != null && line.isEmpty()) line = HttpLines.readLine(in);
      if (line == null) return null;
      String[] parts = line.split(" ", -1);
      long length = 0;
      boolean chunked = false;
      boolean close = false;
      String h;
      while ((h = HttpLines.readLine(in)) != null && !h.isEmpty()) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:"))
          length = Long.parseLong(lower.substring(15).trim());
        else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked"))
          chunked = true;
        else if (lower.startsWith("connection:") && lower.contains("close")) close = true;
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) HttpLines.readChunked(in, body);
      else body.write(in.readNBytes((int) length));
      return new Request(
          parts[0],
          parts.length > 1 ? parts[1] : "/",
          body.toString(StandardCharsets.UTF_8),
          close);
    }
  }
}

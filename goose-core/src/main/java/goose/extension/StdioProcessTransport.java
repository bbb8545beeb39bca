package goose.extension;

import goose.sandbox.ProcessTree;
import goose.sandbox.Sandbox;
import goose.sandbox.ToolLaunch;
import goose.sandbox.ToolProcess;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * MCP over a child process's stdin/stdout, written here rather than taking the SDK's {@code
 * StdioClientTransport} because that one (a) starts the child in our process group, so its own
 * children outlive a shutdown, (b) keeps pending requests waiting until their timeout when the
 * child dies or writes garbage, and (c) hides the process. Here the child starts through the {@link
 * Sandbox} (the one door for tool processes) and leads its own process group ({@link ProcessTree});
 * a dead child or a line on stdout that is not JSON-RPC ends the transport at once and reports why
 * through {@code onFailure}, which closes the client so callers get an error instead of a hang.
 * Single use: a restart builds a new transport.
 *
 * <p>The reactive types are only the SDK interface's; all work is plain blocking code. The two
 * readers are platform daemon threads: they block on a pipe for the extension's whole life, which a
 * virtual thread would do while pinning its carrier.
 */
final class StdioProcessTransport implements McpClientTransport {
  private static final Logger log = LoggerFactory.getLogger(StdioProcessTransport.class);
  private static final int MAX_LINE = 16 * 1024 * 1024;
  private static final int STDERR_LINES = 20;

  private final String name;
  private final Sandbox sandbox;
  private final ToolLaunch launch;
  private final McpJsonMapper mapper;
  private final Consumer<String> onFailure;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  // Locks, not monitors: a process start and a pipe write block, and a virtual thread waiting for a
  // monitor on Java 21 pins its carrier thread.
  private final ReentrantLock lifecycle = new ReentrantLock(); // start vs close
  private final ReentrantLock writes = new ReentrantLock(); // one JSON-RPC line at a time
  private volatile @Nullable Process process;
  private volatile @Nullable ToolProcess toolProcess;
  private volatile @Nullable Thread stderrReader;
  private volatile @Nullable String failure;

  /**
   * @param launch the server's command, workspace and the variables it adds to the sandbox's
   * @param onFailure called once, with a one-line reason, when the child dies or breaks the
   *     protocol while the transport is open
   */
  StdioProcessTransport(
      String name,
      Sandbox sandbox,
      ToolLaunch launch,
      McpJsonMapper mapper,
      Consumer<String> onFailure) {
    this.name = name;
    this.sandbox = sandbox;
    this.launch = launch;
    this.mapper = mapper;
    this.onFailure = onFailure;
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return Mono.fromRunnable(() -> start(handler));
  }

  private void start(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    if (!started.compareAndSet(false, true))
      throw new IllegalStateException("transport already used; restart builds a new one");
    try {
      launch(handler);
    } catch (RuntimeException e) {
      failure = e.getMessage(); // what the pending initialize request reports
      closed.set(true);
      throw e;
    }
  }

  private void launch(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    Process started;
    try {
      // Under the lock close() takes too: a close racing this start either prevents it or sees
      // the process and stops it, never leaving it running unowned.
      lifecycle.lock();
      try {
        if (closed.get())
          throw new IllegalStateException(
              "the connection to extension '" + name + "' was closed before its server started");
        ToolProcess launched = sandbox.start(launch);
        toolProcess = launched;
        started = launched.process();
        process = started;
      } finally {
        lifecycle.unlock();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    Thread.ofPlatform()
        .daemon()
        .name("mcp-" + name + "-stdout")
        .start(() -> readStdout(started, handler));
    stderrReader =
        Thread.ofPlatform()
            .daemon()
            .name("mcp-" + name + "-stderr")
            .start(() -> readStderr(started));
  }

  private void readStdout(
      Process process,
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = readLine(in)) != null) {
        if (line.isBlank()) continue;
        McpSchema.JSONRPCMessage message;
        try {
          message = McpSchema.deserializeJsonRpcMessage(mapper, line);
        } catch (Exception e) {
          fail(
              "the server wrote a line to stdout that is not a JSON-RPC message: \""
                  + excerpt(line)
                  + "\"");
          return;
        }
        handler
            .apply(Mono.just(message))
            .subscribe(m -> {}, e -> log.debug("{}: handling a message failed", name, e));
      }
      fail(exitDescription(process));
    } catch (IOException e) {
      fail(closed.get() ? "closed" : "reading the server's stdout failed: " + e.getMessage());
    }
  }

  private @Nullable String readLine(BufferedReader in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') return sb.toString();
      if (c != '\r') sb.append((char) c);
      if (sb.length() > MAX_LINE) {
        fail("the server wrote a message longer than " + MAX_LINE + " characters");
        throw new IOException("message too long");
      }
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  private void readStderr(Process process) {
    try (BufferedReader err =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null) {
        log.debug("{} stderr: {}", name, line);
        synchronized (stderrTail) {
          if (stderrTail.size() == STDERR_LINES) stderrTail.removeFirst();
          stderrTail.addLast(excerpt(line));
        }
      }
    } catch (IOException e) {
      // the process is gone; stdout's reader reports it
    }
  }

  private String exitDescription(Process p) {
    String code = "";
    try {
      if (p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS))
        code = " with exit code " + p.exitValue();
      Thread err = stderrReader;
      if (err != null) err.join(1000); // its last words are usually the reason
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String tail = stderrTail();
    ToolProcess tool = toolProcess;
    String limit = tool == null ? "" : tool.limitReached().map(l -> " (" + l + ")").orElse("");
    return "the server process exited"
        + code
        + limit
        + (tail.isEmpty() ? "" : "; its last stderr output: " + tail);
  }

  /** The last lines the server wrote to stderr, joined; for error messages. */
  String stderrTail() {
    synchronized (stderrTail) {
      return String.join(" | ", stderrTail);
    }
  }

  private void fail(String reason) {
    if (closed.getAndSet(true)) return;
    failure = reason;
    log.warn("extension {}: {}", name, reason);
    Thread.ofVirtual()
        .name("mcp-" + name + "-stop")
        .start(
            () -> {
              stopProcess();
              onFailure.accept(reason);
            });
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.fromRunnable(() -> write(message));
  }

  private void write(McpSchema.JSONRPCMessage message) {
    Process p = process;
    if (closed.get() || p == null) {
      throw new IllegalStateException(
          failure != null ? failure : "the connection to extension '" + name + "' is closed");
    }
    try {
      String json = mapper.writeValueAsString(message);
      OutputStream out = p.getOutputStream();
      writes.lock();
      try {
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        out.flush();
      } finally {
        writes.unlock();
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "writing to extension '" + name + "' failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(this::close);
  }

  /** Stops the child and everything it started; idempotent. */
  @Override
  public void close() {
    lifecycle.lock();
    try {
      closed.set(true);
    } finally {
      lifecycle.unlock();
    }
    stopProcess();
  }

  private void stopProcess() {
    Process p = process;
    if (p == null) return;
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    ProcessTree.terminate(p, Duration.ofSeconds(2));
  }

  /** The child's pid, once started. */
  java.util.OptionalLong pid() {
    Process p = process;
    return p == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(p.pid());
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return mapper.convertValue(data, typeRef);
  }

  private static String excerpt(String s) {
    String oneLine = s.replaceAll("\\p{Cntrl}", " ").strip();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }
}

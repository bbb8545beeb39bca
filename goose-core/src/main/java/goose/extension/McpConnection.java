package goose.extension;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.extension.ExtensionConfig.Launch;
import goose.json.Json;
import goose.sandbox.Sandbox;
import goose.sandbox.ToolLaunch;
import goose.tool.ToolNotifications;
import goose.tool.ToolSpec;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live MCP client session with one extension's server (any transport): shared by every session
 * of the server, or, for a stdio server in the sandbox, by the sessions of one user in one
 * workspace. Holds the server's tool list (refreshed when the server says it changed) and routes
 * the progress and log notifications of each call to that call's {@link ToolNotifications}.
 */
final class McpConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(McpConnection.class);

  /** The SDK's own mapper: the MCP records carry their JSON names; ours is snake_case. */
  static final McpJsonMapper MCP_JSON = new JacksonMcpJsonMapper(new ObjectMapper());

  private static final int MAX_TOOL_PAGES = 100;
  private static final Duration MAX_INIT = Duration.ofSeconds(60);

  /** How often a call to a remote server checks that the server is still there. */
  static final Duration HEARTBEAT = Duration.ofSeconds(3);

  private static final Duration PING_WAIT = Duration.ofSeconds(5);

  private final ExtensionConfig config;
  private final McpSyncClient client;
  private final CancellingTransport calls; // tells the server about cancelled calls
  private final @Nullable StdioProcessTransport stdio; // the process behind a stdio extension
  // A call's progress route outlives the call by LATE_PROGRESS: the SDK hands each notification to
  // another thread, so one the server sent before its result can be handled after the call has
  // returned (the turn's event writer drops what comes after the turn's end).
  private final Map<String, ToolNotifications> progressRoutes = new ConcurrentHashMap<>();
  private static final Executor LATE_PROGRESS =
      CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS);
  private static final TypeRef<McpSchema.CallToolResult> CALL_TOOL_RESULT = new TypeRef<>() {};

  /**
   * A call still running, by its progress token: its log messages and its answer go to {@code
   * notifications}; {@code answer} is the response made from the answer on the transport's thread.
   */
  private static final class InFlight {
    final String requestId;
    final ToolNotifications notifications;
    volatile Content.@Nullable ToolResponse answer;

    InFlight(String requestId, ToolNotifications notifications) {
      this.requestId = requestId;
      this.notifications = notifications;
    }
  }

  // Log messages go only to the calls still running.
  private final Map<String, InFlight> callsInFlight = new ConcurrentHashMap<>();
  private final AtomicLong tokens = new AtomicLong();
  private volatile List<ToolSpec> tools = List.of();
  private volatile String instructions = "";
  private volatile boolean toolsStale = true;
  // A lock, not a monitor: listing tools is a call to the server, and a virtual thread waiting for
  // a
  // monitor on Java 21 pins its carrier thread.
  private final ReentrantLock refreshLock = new ReentrantLock();
  private volatile @Nullable String failure;
  private final Object failureLock = new Object();
  private volatile Consumer<String> onFailure = reason -> {};

  private McpConnection(
      ExtensionConfig config, McpClientTransport transport, @Nullable StdioProcessTransport stdio) {
    this.config = config;
    this.stdio = stdio;
    this.calls = new CancellingTransport(transport, this::answered);
    Duration init = config.timeout().compareTo(MAX_INIT) < 0 ? config.timeout() : MAX_INIT;
    this.client =
        McpClient.sync(calls)
            .requestTimeout(config.timeout())
            .initializationTimeout(init)
            .clientInfo(McpSchema.Implementation.builder("goosed", "0.1.0").build())
            .toolsChangeConsumer(changed -> toolsStale = true)
            .progressConsumer(this::onProgress)
            .loggingConsumer(this::onLog)
            .build();
  }

  // MCP replaced the HTTP+SSE transport with streamable HTTP and the SDK deprecated its client, but
  // goose still runs `type: sse` extensions and the SDK offers no other client for them.
  @SuppressWarnings("deprecation")
  private static McpClientTransport sseTransport(Launch.Sse h, UserRemotes.RemoteGuard guard) {
    return HttpClientSseClientTransport.builder(origin(h.uri()))
        .sseEndpoint(pathAndQuery(h.uri()))
        .jsonMapper(MCP_JSON)
        .connectTimeout(Duration.ofSeconds(10))
        .addHttpRequestCustomizer(headers(h.headers(), guard))
        .build();
  }

  /**
   * Connects and initialises; throws with a readable message when the server cannot be reached,
   * dies or misbehaves. A stdio server starts through {@code sandbox} in {@code workspace} with
   * {@code stdioEnv} added to the sandbox's environment. {@code created} receives the connection
   * before it initialises (closing it aborts the start); {@code onFailure} is told when the
   * connection breaks later. Every request to a remote server passes {@code guard} first, and a
   * remote server's failures are described without what it answered ({@link
   * McpErrors#describeRemote}).
   */
  static McpConnection open(
      ExtensionConfig config,
      Sandbox sandbox,
      Path workspace,
      Map<String, String> stdioEnv,
      UserRemotes.RemoteGuard guard,
      Consumer<String> onFailure,
      Consumer<McpConnection> created) {
    McpConnection[] self = new McpConnection[1];
    Consumer<String> broken =
        reason -> {
          McpConnection c = self[0];
          if (c != null) c.breakWith(reason);
          else onFailure.accept(reason);
        };
    McpConnection connection =
        switch (config.launch()) {
          case Launch.Stdio s -> {
            List<String> command = new ArrayList<>();
            command.add(s.cmd());
            command.addAll(s.args());
            ToolLaunch launch =
                new ToolLaunch(
                    command,
                    workspace,
                    stdioEnv,
                    ToolLaunch.Streams.SEPARATE,
                    ToolLaunch.Kind.EXTENSION);
            StdioProcessTransport t =
                new StdioProcessTransport(config.name(), sandbox, launch, MCP_JSON, broken);
            yield new McpConnection(config, t, t);
          }
          case Launch.StreamableHttp h -> {
            HttpClientStreamableHttpTransport t =
                HttpClientStreamableHttpTransport.builder(origin(h.uri()))
                    .endpoint(pathAndQuery(h.uri()))
                    .jsonMapper(MCP_JSON)
                    .connectTimeout(Duration.ofSeconds(10))
                    .addHttpRequestCustomizer(headers(h.headers(), guard))
                    .build();
            yield new McpConnection(config, t, null);
          }
          case Launch.Sse h -> new McpConnection(config, sseTransport(h, guard), null);
          case Launch.Builtin b -> throw new IllegalArgumentException("built-ins run in-process");
        };
    connection.onFailure = onFailure;
    self[0] = connection;
    created.accept(connection);
    try {
      McpSchema.InitializeResult init = connection.client.initialize();
      if (init != null && init.instructions() != null)
        connection.instructions = init.instructions();
      connection.refreshTools();
      return connection;
    } catch (RuntimeException e) {
      String reason = connection.failure != null ? connection.failure : connection.describe(e);
      if (connection.stdio == null)
        log.debug("remote extension {} did not start: {}", config.name(), McpErrors.describe(e));
      connection.close();
      throw new ExtensionStartException(reason, e);
    }
  }

  /** The server's {@code instructions} from {@code initialize}; empty when it gave none. */
  String instructions() {
    return instructions;
  }

  /** The server's tools, as the model sees them: prefixed, filtered, schema verbatim. */
  List<ToolSpec> tools() {
    if (toolsStale) refreshTools();
    return tools;
  }

  private void refreshTools() {
    refreshLock.lock();
    try {
      refreshStaleTools();
    } finally {
      refreshLock.unlock();
    }
  }

  private void refreshStaleTools() {
    if (!toolsStale) return;
    toolsStale = false;
    List<ToolSpec> out = new ArrayList<>();
    Set<String> seenCursors = new HashSet<>();
    String cursor = null;
    for (int page = 0; page < MAX_TOOL_PAGES; page++) {
      McpSchema.ListToolsResult result = client.listTools(cursor);
      for (McpSchema.Tool tool : result.tools()) {
        if (!config.offers(tool.name())) continue;
        ObjectNode schema =
            tool.inputSchema() == null
                ? Json.object()
                : Json.MAPPER.valueToTree(tool.inputSchema());
        boolean readOnly =
            tool.annotations() != null && Boolean.TRUE.equals(tool.annotations().readOnlyHint());
        out.add(
            new ToolSpec(config.name() + "__" + tool.name(), tool.description(), schema, readOnly));
      }
      cursor = result.nextCursor();
      if (cursor == null || cursor.isEmpty() || !seenCursors.add(cursor)) break;
    }
    tools = List.copyOf(out);
  }

  /** Calls one tool by its own name; failures of the call become error responses. */
  Content.ToolResponse call(
      String requestId, String tool, ObjectNode arguments, ToolNotifications notifications) {
    String token = config.name() + "-" + tokens.incrementAndGet();
    InFlight inFlight = new InFlight(requestId, notifications);
    progressRoutes.put(token, notifications);
    callsInFlight.put(token, inFlight);
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> args = Json.MAPPER.convertValue(arguments, Map.class);
      McpSchema.CallToolRequest request =
          new McpSchema.CallToolRequest(tool, args, Map.of("progressToken", token));
      McpSchema.CallToolResult result =
          stdio != null ? client.callTool(request) : callWatched(request);
      Content.ToolResponse answer = inFlight.answer;
      return answer != null ? answer : McpResults.toResponse(requestId, result);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return cancelled(requestId, token);
    } catch (RuntimeException e) {
      if (stdio == null && McpErrors.unreachable(e))
        breakWith("the server cannot be reached: " + McpErrors.describe(e));
      if (Thread.currentThread().isInterrupted() || McpErrors.interrupted(e)) {
        Thread.currentThread().interrupt();
        return cancelled(requestId, token);
      }
      String why =
          failure != null ? "the extension stopped during the call: " + failure : describe(e);
      if (McpErrors.timedOut(e))
        why = "no answer within the extension's timeout of " + config.timeout().toSeconds() + " s";
      return Content.ToolResponse.error(
          requestId, "extension '" + config.name() + "' tool '" + tool + "' failed: " + why);
    } finally {
      calls.ended(token);
      callsInFlight.remove(token);
      LATE_PROGRESS.execute(() -> progressRoutes.remove(token));
    }
  }

  /**
   * A call's answer, on the thread that received it (the stdio reader, an HTTP client's thread),
   * before the SDK wakes the caller: converted here and handed to the call's notifications, so the
   * agent can report it without waiting for the caller's thread; the caller returns the same
   * response.
   */
  private void answered(String token, Object result) {
    InFlight call = callsInFlight.get(token);
    if (call == null) return;
    Content.ToolResponse response =
        McpResults.toResponse(call.requestId, calls.unmarshalFrom(result, CALL_TOOL_RESULT));
    call.answer = response;
    call.notifications.answered(response);
  }

  /** The caller was interrupted: the server is told the call is cancelled (MCP's cancellation). */
  private Content.ToolResponse cancelled(String requestId, String token) {
    calls.cancel(token, "the caller cancelled the call");
    return Content.ToolResponse.error(requestId, "tool call cancelled");
  }

  /**
   * A remote server's death is not always seen by the SDK's HTTP transports: the call would wait
   * for its whole timeout. So while a remote call runs, the server is pinged every {@link
   * #HEARTBEAT}; a ping that cannot reach it ends the connection, which fails the call at once.
   */
  private McpSchema.CallToolResult callWatched(McpSchema.CallToolRequest request)
      throws InterruptedException {
    CompletableFuture<McpSchema.CallToolResult> result = new CompletableFuture<>();
    Thread worker =
        Thread.ofVirtual()
            .name("mcp-" + config.name() + "-call")
            .start(
                () -> {
                  try {
                    result.complete(client.callTool(request));
                  } catch (Throwable t) {
                    result.completeExceptionally(t);
                  }
                });
    try {
      while (true) {
        try {
          return result.get(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          Optional<String> dead = unreachable();
          if (dead.isPresent()) breakWith("the server cannot be reached: " + dead.get());
        }
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      worker.interrupt();
      throw e;
    }
  }

  /** Why a ping could not reach the server; empty when it answered or is merely slow. */
  private Optional<String> unreachable() throws InterruptedException {
    CompletableFuture<Object> ping = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                ping.complete(client.ping());
              } catch (Throwable t) {
                ping.completeExceptionally(t);
              }
            });
    try {
      ping.get(PING_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
      return McpErrors.unreachable(cause)
          ? Optional.of(McpErrors.describe(cause))
          : Optional.empty();
    }
  }

  /** Why the connection broke, if it did. */
  Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  OptionalLong pid() {
    return stdio == null ? OptionalLong.empty() : stdio.pid();
  }

  /**
   * Marks the connection dead, tells the owner, then closes the client: closing releases the
   * callers blocked in a call, and they must find the extension already marked failed. Idempotent.
   */
  private void breakWith(String reason) {
    synchronized (failureLock) {
      if (failure != null) return;
      failure = reason;
    }
    onFailure.accept(reason);
    try {
      client.close();
    } catch (RuntimeException e) {
      log.debug("closing a broken client", e);
    }
    if (stdio != null) stdio.close();
  }

  private void onProgress(McpSchema.ProgressNotification n) {
    ToolNotifications target =
        n.progressToken() == null ? null : progressRoutes.get(n.progressToken().toString());
    if (target == null) return;
    ObjectNode payload = Json.object();
    payload.put("progress", n.progress());
    if (n.total() != null) payload.put("total", n.total());
    if (n.message() != null) payload.put("message", n.message());
    target.notify(config.name(), "progress", payload);
  }

  /** Log messages carry no request id, so every call in flight on this server sees them. */
  private void onLog(McpSchema.LoggingMessageNotification n) {
    ObjectNode payload = Json.object();
    payload.put(
        "level", n.level() == null ? "info" : n.level().name().toLowerCase(java.util.Locale.ROOT));
    if (n.logger() != null) payload.put("logger", n.logger());
    payload.put("data", n.data());
    callsInFlight.values().stream()
        .map(call -> call.notifications)
        .distinct()
        .forEach(t -> t.notify(config.name(), "log", payload));
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (RuntimeException e) {
      log.debug("closing MCP client of {}", config.name(), e);
    }
    if (stdio != null) stdio.close();
  }

  /** A failure as the caller may read it: a remote server's without what the server answered. */
  private String describe(Throwable e) {
    return stdio == null ? McpErrors.describeRemote(e) : McpErrors.describe(e);
  }

  private static McpSyncHttpClientRequestCustomizer headers(
      Map<String, String> headers, UserRemotes.RemoteGuard guard) {
    return (builder, method, uri, body, context) -> {
      guard.check(uri);
      headers.forEach(builder::header);
    };
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private static String pathAndQuery(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }
}

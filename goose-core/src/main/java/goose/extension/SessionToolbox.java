package goose.extension;

import goose.conversation.Content;
import goose.error.ErrorMessages;
import goose.tool.ActiveExtension;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's extensions plus, per session, MCP servers that only that session uses (an ACP
 * client's {@code mcpServers} of {@code session/new}). Layered over the shared {@link
 * ExtensionManager}: a session sees the shared tools and its own, named {@code server__tool} like
 * every other; another session never sees them. Session servers pass the same allowlist and start
 * through the same sandbox door with the same environment as configured ones ({@link #connect}, the
 * one place that launches them), in the session's workspace. They live in this process until the
 * session is detached (closed, deleted, its client gone) or the server stops. A remote server a
 * user who is not an admin gives must not reach loopback, private or link-local addresses, and
 * loses its hop-by-hop headers and the proxy's user header ({@link UserRemotes}).
 */
public final class SessionToolbox implements Toolbox, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionToolbox.class);

  private final ExtensionManager shared;
  private final Map<String, Map<String, McpConnection>> bySession = new ConcurrentHashMap<>();

  public SessionToolbox(ExtensionManager shared) {
    this.shared = shared;
  }

  public ExtensionManager shared() {
    return shared;
  }

  /** Who gave a session's servers: an admin's are trusted as configured extensions are. */
  public enum GivenBy {
    ADMIN,
    USER
  }

  /**
   * Connects the session's own servers (in parallel), replacing any it had. All or nothing: when
   * one is refused by the allowlist or (given by a user) by the address rules, clashes with a
   * configured extension's name or cannot start, those already started are stopped and the {@link
   * ExtensionException} says which and why.
   */
  public void attach(
      String sessionId,
      java.nio.file.Path workspace,
      List<ExtensionConfig> configs,
      GivenBy givenBy) {
    List<ExtensionConfig> admitted = new ArrayList<>();
    for (ExtensionConfig c : configs) {
      if (shared.has(c.name()))
        throw new ExtensionException.Invalid(
            "name", "an extension named '" + c.name() + "' is already configured on the server");
      shared.allowlist().check(c);
      admitted.add(givenBy == GivenBy.USER ? shared.userRemotes().admit(c) : c);
    }
    Map<String, McpConnection> opened = new LinkedHashMap<>();
    try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<String, Future<McpConnection>> pending = new LinkedHashMap<>();
      for (ExtensionConfig c : admitted) {
        UserRemotes.RemoteGuard guard =
            givenBy == GivenBy.USER ? shared.userRemotes().guard(c) : UserRemotes.RemoteGuard.NONE;
        pending.put(c.name(), starts.submit(() -> connect(c, workspace, guard)));
      }
      RuntimeException failure = null;
      for (Map.Entry<String, Future<McpConnection>> e : pending.entrySet()) {
        try {
          opened.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException ex) {
          Throwable cause = Objects.requireNonNullElse(ex.getCause(), ex);
          if (failure == null)
            failure =
                cause instanceof RuntimeException r
                    ? r
                    : new ExtensionStartException(
                        "extension '" + e.getKey() + "': " + ErrorMessages.of(cause), cause);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          failure = new ExtensionStartException("interrupted while starting extensions", ex);
        }
      }
      if (failure != null) {
        opened.values().forEach(McpConnection::close);
        throw failure;
      }
    }
    Map<String, McpConnection> previous = bySession.put(sessionId, opened);
    if (previous != null) previous.values().forEach(McpConnection::close);
  }

  /** Stops the session's own servers; nothing when it has none. */
  public void detach(String sessionId) {
    Map<String, McpConnection> own = bySession.remove(sessionId);
    if (own != null) own.values().forEach(McpConnection::close);
  }

  /** The names of the session's own servers. */
  public List<String> attached(String sessionId) {
    return List.copyOf(bySession.getOrDefault(sessionId, Map.of()).keySet());
  }

  @Override
  public List<ToolSpec> tools(ToolContext context) {
    List<ToolSpec> out = new ArrayList<>(shared.tools(context));
    for (McpConnection c : bySession.getOrDefault(context.sessionId(), Map.of()).values()) {
      try {
        out.addAll(c.tools());
      } catch (RuntimeException e) {
        log.debug("a session extension offers no tools now: {}", e.getMessage());
      }
    }
    return out;
  }

  /** The shared extensions, then the session's own servers with their instructions. */
  @Override
  public List<ActiveExtension> extensions(ToolContext context) {
    List<ActiveExtension> out = new ArrayList<>(shared.extensions(context));
    bySession
        .getOrDefault(context.sessionId(), Map.of())
        .forEach((name, c) -> out.add(new ActiveExtension(name, c.instructions())));
    return out;
  }

  @Override
  public Content.ToolResponse call(ToolContext context, Content.ToolRequest request) {
    String full = request.name();
    int sep = full.indexOf("__");
    Map<String, McpConnection> own = bySession.getOrDefault(context.sessionId(), Map.of());
    McpConnection connection = sep > 0 ? own.get(full.substring(0, sep)) : null;
    if (connection == null) return shared.call(context, request);
    return connection.call(
        request.id(), full.substring(sep + 2), request.arguments(), context.notifications());
  }

  @Override
  public void close() {
    List<String> sessions = new ArrayList<>(bySession.keySet());
    sessions.forEach(this::detach);
  }

  /** The one place a session's server is started: through the server's sandbox door. */
  private McpConnection connect(
      ExtensionConfig c, java.nio.file.Path workspace, UserRemotes.RemoteGuard guard) {
    return shared.openSessionServer(c, workspace, guard);
  }
}

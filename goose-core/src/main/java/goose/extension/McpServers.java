package goose.extension;

import goose.config.Config;
import goose.extension.ExtensionConfig.Launch;
import goose.sandbox.Sandbox;
import goose.tool.ToolContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the MCP servers of the extensions, every stdio one through the {@link Sandbox}, and picks
 * the server a use goes to. Without the sandbox that is the extension's one shared server. With it,
 * a session's use goes to the server of its user and workspace ({@link WorkspaceInstances}), and
 * the shared server runs in an empty scratch directory: it only reports the extension's status and
 * tools to the management API.
 */
final class McpServers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(McpServers.class);

  private final Config config;
  private final Sandbox sandbox;
  private final Allowlist allowlist;
  private final Clock clock;
  private final WorkspaceInstances instances;
  private final Path sharedWorkspace;
  private volatile boolean closed;

  McpServers(
      Config config,
      Sandbox sandbox,
      Allowlist allowlist,
      java.time.Duration backoffBase,
      Clock clock) {
    this.config = config;
    this.sandbox = sandbox;
    this.allowlist = allowlist;
    this.clock = clock;
    this.sharedWorkspace = sandbox.confining() ? scratch() : Path.of("").toAbsolutePath();
    this.instances =
        new WorkspaceInstances(
            sandbox.settings().extensionIdle(),
            sandbox.settings().extensionsPerUser(),
            backoffBase,
            clock);
  }

  /** An empty private directory: all the shared server of a sandboxed extension sees. */
  private static Path scratch() {
    try {
      return Files.createTempDirectory("goose-extension-status").toRealPath();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create a scratch directory", e);
    }
  }

  /** Whether sessions get servers of their own for this extension: stdio ones, in the sandbox. */
  boolean perWorkspace(ExtensionConfig c) {
    return sandbox.confining() && c.launch() instanceof Launch.Stdio;
  }

  /** The extension's shared server, started if it is not running. */
  McpConnection shared(ExtensionSlot slot) {
    return running(slot, sharedWorkspace);
  }

  /**
   * Runs {@code use} with the server this session's use goes to: its user's and workspace's, or the
   * shared one.
   */
  <T> T use(ExtensionSlot slot, ToolContext context, Function<McpConnection, T> use) {
    ExtensionConfig c = slot.config();
    if (!perWorkspace(c)) return use.apply(shared(slot));
    WorkspaceInstances.Instance instance = instances.acquire(c, context, workspace(context));
    try {
      return use.apply(running(instance.slot, instance.key.workspace()));
    } finally {
      instances.release(instance);
    }
  }

  void stopExtension(String name) {
    instances.stopExtension(name);
  }

  void sessionEnded(String sessionId) {
    instances.sessionEnded(sessionId);
  }

  int workspaceServers(String userId) {
    return instances.count(userId);
  }

  int busyWorkspaceServers(String userId) {
    return instances.busy(userId);
  }

  /**
   * The session's working directory as the sandbox takes it: with the sandbox on, a path that now
   * goes through a symbolic link is refused here, not followed to another user's directory.
   */
  private Path workspace(ToolContext context) {
    try {
      return sandbox.workspace(context.workingDir());
    } catch (IOException e) {
      throw new ExtensionStartException(
          "the working directory " + context.workingDir() + " is not usable: " + e.getMessage(), e);
    }
  }

  private McpConnection running(ExtensionSlot slot, Path workspace) {
    if (closed) throw new IllegalStateException("the server is shutting down");
    return slot.running(
        clock::instant,
        (c, created) -> {
          allowlist.check(c);
          McpConnection[] opened = new McpConnection[1];
          try {
            return McpConnection.open(
                c,
                sandbox,
                workspace,
                launchEnv(c),
                UserRemotes.RemoteGuard.NONE,
                why -> {
                  McpConnection broken = opened[0];
                  if (broken != null) slot.connectionBroke(broken, why, clock.instant());
                },
                conn -> {
                  opened[0] = conn;
                  created.accept(conn);
                });
          } catch (ExtensionStartException e) {
            throw withHint(c, workspace, e);
          }
        });
  }

  /**
   * A server one session alone uses, in its workspace: allowlist, sandbox, environment as above;
   * each request of a remote one passes {@code guard}.
   */
  McpConnection openForSession(ExtensionConfig c, Path workspace, UserRemotes.RemoteGuard guard) {
    if (closed) throw new IllegalStateException("the server is shutting down");
    allowlist.check(c);
    try {
      return McpConnection.open(
          c,
          sandbox,
          workspace,
          launchEnv(c),
          guard,
          why -> log.warn("session extension {} broke: {}", c.name(), why),
          created -> {});
    } catch (ExtensionStartException e) {
      throw withHint(c, workspace, e);
    }
  }

  /**
   * A server whose start failed may have been given a script or directory the sandbox does not
   * show: say so, and which setting shows it.
   */
  private ExtensionStartException withHint(
      ExtensionConfig c, Path workspace, ExtensionStartException e) {
    if (!(c.launch() instanceof Launch.Stdio s)) return e;
    for (String arg : s.args()) {
      if (!arg.startsWith("/")) continue;
      var hint = sandbox.invisible(Path.of(arg), workspace);
      if (hint.isPresent())
        return new ExtensionStartException(e.getMessage() + "; " + hint.get(), e);
    }
    return e;
  }

  /**
   * What a stdio server adds to the sandbox's environment: {@code envs} and the secrets named by
   * {@code env_keys}.
   */
  private Map<String, String> launchEnv(ExtensionConfig c) {
    if (!(c.launch() instanceof Launch.Stdio s)) return Map.of();
    Map<String, String> env = new HashMap<>(s.envs());
    for (String key : s.envKeys()) {
      String value =
          config
              .secret(key)
              .orElseThrow(
                  () ->
                      new ExtensionStartException(
                          "env_keys: the secret "
                              + key
                              + " is not set (set it in the environment or with goose configure)"));
      env.put(key, value);
    }
    return env;
  }

  @Override
  public void close() {
    closed = true;
    instances.close();
    if (sandbox.confining()) {
      try {
        Files.deleteIfExists(sharedWorkspace);
      } catch (IOException e) {
        log.debug("scratch directory {} left behind", sharedWorkspace, e);
      }
    }
  }
}

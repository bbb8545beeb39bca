package goose.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.config.Config;
import goose.conversation.Content;
import goose.extension.ExtensionConfig.Launch;
import goose.json.Json;
import goose.sandbox.Sandbox;
import goose.tool.ActiveExtension;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extensions of one server: their configuration (persisted under {@code extensions:} in
 * config.yaml), their running MCP servers and the built-ins. Every stdio server starts through the
 * {@link Sandbox}. Without the sandbox there is one server per extension, shared by every session
 * (started on first use or when enabled). With it, a stdio server may see one workspace only, so
 * sessions use per-user, per-workspace servers ({@link WorkspaceInstances}), and the shared one
 * runs in an empty scratch workspace, only to report the extension's status and tools. As a {@link
 * Toolbox} it offers the tools of every enabled extension as {@code extension__tool}; a change made
 * here is seen by the next {@link #tools(ToolContext)} of every session, without a restart.
 * Thread-safe.
 *
 * <p>The HTTP routes are a thin layer over {@link #list}, {@link #get}, {@link #addOrUpdate},
 * {@link #delete}, {@link #enable}, {@link #disable} and {@link #tools(String)}; they throw the
 * {@link ExtensionException} kinds (not found, invalid, not allowed).
 */
public final class ExtensionManager implements Toolbox, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExtensionManager.class);
  private static final String KEY = "extensions";

  private final Config config;
  private final Allowlist allowlist;
  private final UserRemotes userRemotes;
  private final Map<String, BuiltinExtension> builtins = new LinkedHashMap<>();
  private final Map<String, ExtensionSlot> slots = new ConcurrentHashMap<>();
  private final Duration backoffBase;
  private final McpServers servers;
  // A lock, not a monitor: the store write under it would pin a virtual thread's carrier.
  private final ReentrantLock writes = new ReentrantLock();
  private volatile boolean closed;

  /**
   * On a shared store: where API changes are kept (instead of config.yaml), and the entries of it
   * this replica has applied, by name.
   */
  private final Optional<ExtensionStore> shared;

  private final Map<String, Optional<JsonNode>> applied = new ConcurrentHashMap<>();
  private volatile long lastSyncNanos;

  /** How stale a turn's view of the shared extensions may be (management calls never are). */
  private static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);

  /** Unsandboxed, with the allowlist from the configuration and a 1 s restart back-off. */
  public ExtensionManager(Config config, List<BuiltinExtension> builtins) {
    this(config, builtins, Sandbox.unconfined(config));
  }

  /** With the allowlist from the configuration and a 1 s restart back-off. */
  public ExtensionManager(Config config, List<BuiltinExtension> builtins, Sandbox sandbox) {
    this(config, builtins, sandbox, Optional.empty());
  }

  /**
   * {@code shared}: on a store several replicas share, API changes go there (and every replica
   * applies them) rather than to this replica's config.yaml.
   */
  public ExtensionManager(
      Config config,
      List<BuiltinExtension> builtins,
      Sandbox sandbox,
      Optional<ExtensionStore> shared) {
    this(config, builtins, sandbox, Allowlist.fromConfig(config), Duration.ofSeconds(1), shared);
  }

  /** Unsandboxed. */
  public ExtensionManager(
      Config config, List<BuiltinExtension> builtins, Allowlist allowlist, Duration backoffBase) {
    this(config, builtins, Sandbox.unconfined(config), allowlist, backoffBase);
  }

  public ExtensionManager(
      Config config,
      List<BuiltinExtension> builtins,
      Sandbox sandbox,
      Allowlist allowlist,
      Duration backoffBase) {
    this(config, builtins, sandbox, allowlist, backoffBase, Optional.empty());
  }

  private ExtensionManager(
      Config config,
      List<BuiltinExtension> builtins,
      Sandbox sandbox,
      Allowlist allowlist,
      Duration backoffBase,
      Optional<ExtensionStore> shared) {
    this.config = config;
    this.allowlist = allowlist;
    this.userRemotes = new UserRemotes(config, allowlist);
    this.backoffBase = backoffBase;
    this.shared = shared;
    this.servers = new McpServers(config, sandbox, allowlist, backoffBase, Clock.systemUTC());
    builtins.forEach(b -> this.builtins.put(b.name(), b));
    load();
    sync(true);
  }

  private void load() {
    Optional<JsonNode> node = config.node(KEY);
    if (node.isPresent() && node.get().isObject()) {
      for (Map.Entry<String, JsonNode> e : node.get().properties()) {
        try {
          ExtensionConfig c = ExtensionConfigs.parse(e.getValue(), e.getKey());
          slots.put(c.name(), newSlot(c));
        } catch (ExtensionException.Invalid bad) {
          log.warn("config.yaml: extensions.{}: {} (ignored)", e.getKey(), bad.getMessage());
        }
      }
    }
    for (BuiltinExtension b : builtins.values()) {
      slots.computeIfAbsent(
          b.name(),
          n ->
              newSlot(
                  new ExtensionConfig(
                      n,
                      b.description(),
                      b.enabledByDefault(),
                      ExtensionConfig.DEFAULT_TIMEOUT,
                      List.of(),
                      new Launch.Builtin())));
    }
  }

  private ExtensionSlot newSlot(ExtensionConfig c) {
    Optional<BuiltinExtension> builtin =
        c.launch() instanceof Launch.Builtin
            ? Optional.ofNullable(builtins.get(c.name()))
            : Optional.empty();
    return new ExtensionSlot(c, builtin, backoffBase);
  }

  // ---- management API ----

  /** Every configured extension, by name. */
  public List<ExtensionInfo> list() {
    sync(true);
    return slots.values().stream()
        .map(ExtensionSlot::info)
        .sorted(Comparator.comparing(ExtensionInfo::name))
        .toList();
  }

  public ExtensionInfo get(String name) {
    sync(true);
    return slot(name).info();
  }

  /** Validates {@code body} (one config object, goose's field names), then {@link #put}s it. */
  public ExtensionInfo addOrUpdate(JsonNode body) {
    return put(ExtensionConfigs.parse(body));
  }

  /**
   * Adds or replaces an extension. Refused by the allowlist when enabled and not allowed. A running
   * server of the old configuration is stopped; an enabled one starts in the background.
   */
  public ExtensionInfo put(ExtensionConfig next) {
    if (next.launch() instanceof Launch.Builtin && !builtins.containsKey(next.name())) {
      throw new ExtensionException.Invalid(
          "name",
          "no built-in extension named '"
              + next.name()
              + "' (built-ins: "
              + String.join(", ", builtins.keySet())
              + ")");
    }
    if (builtins.containsKey(next.name()) && !(next.launch() instanceof Launch.Builtin)) {
      // Else the built-in's slot would be replaced, then deletable, and lost with its description.
      throw new ExtensionException.Invalid(
          "name",
          "'"
              + next.name()
              + "' is a built-in extension: give this extension another name (a built-in is only"
              + " enabled or disabled)");
    }
    if (next.enabled()) allowlist.check(next);
    ExtensionSlot slot;
    writes.lock();
    try {
      persist(next.name(), Optional.of(next));
      slot = install(next);
    } finally {
      writes.unlock();
    }
    servers.stopExtension(next.name());
    startInBackground(slot);
    return slot.info();
  }

  /** Puts {@code next} in its slot (a new one when the kind changed). Called holding writes. */
  private ExtensionSlot install(ExtensionConfig next) {
    ExtensionSlot slot = slots.get(next.name());
    if (slot == null || slot.builtin().isPresent() != (next.launch() instanceof Launch.Builtin)) {
      if (slot != null) slot.stop();
      slot = newSlot(next);
      slots.put(next.name(), slot);
    } else {
      slot.replace(next);
    }
    return slot;
  }

  /**
   * On a shared store, applies the changes other replicas stored since the last look: at most once
   * per {@link #SYNC_INTERVAL} unless {@code now}. A bad stored entry is logged and skipped.
   */
  private void sync(boolean now) {
    if (shared.isEmpty()) return;
    long started = System.nanoTime();
    if (!now && started - lastSyncNanos < SYNC_INTERVAL.toNanos()) return;
    lastSyncNanos = started;
    Map<String, Optional<JsonNode>> stored = shared.get().load();
    List<ExtensionSlot> toStart = new ArrayList<>();
    writes.lock();
    try {
      for (Map.Entry<String, Optional<JsonNode>> e : stored.entrySet()) {
        String name = e.getKey();
        if (e.getValue().equals(applied.get(name))) continue;
        applied.put(name, e.getValue());
        if (e.getValue().isEmpty()) {
          ExtensionSlot gone = slots.get(name);
          if (gone != null && gone.builtin().isEmpty()) {
            slots.remove(name);
            gone.stop();
            servers.stopExtension(name);
          }
          continue;
        }
        try {
          ExtensionConfig next = ExtensionConfigs.parse(e.getValue().get(), name);
          if (next.launch() instanceof Launch.Builtin && !builtins.containsKey(name)) continue;
          toStart.add(install(next));
          servers.stopExtension(name); // per-workspace servers of the old configuration
        } catch (ExtensionException.Invalid bad) {
          log.warn("stored extension {}: {} (ignored)", name, bad.getMessage());
        }
      }
    } finally {
      writes.unlock();
    }
    toStart.forEach(this::startInBackground);
  }

  /** Stops and removes an extension. Built-ins cannot be deleted, only disabled. */
  public void delete(String name) {
    ExtensionSlot slot = slot(name);
    if (slot.builtin().isPresent()) {
      throw new ExtensionException.Invalid(
          "name", "'" + name + "' is a built-in extension: disable it instead of deleting it");
    }
    writes.lock();
    try {
      persist(name, Optional.empty());
      slots.remove(name);
    } finally {
      writes.unlock();
    }
    slot.stop();
    servers.stopExtension(name);
  }

  public ExtensionInfo enable(String name) {
    ExtensionSlot slot = slot(name);
    ExtensionConfig next = slot.config().withEnabled(true);
    allowlist.check(next);
    writes.lock();
    try {
      persist(name, Optional.of(next));
      slot.replace(next);
    } finally {
      writes.unlock();
    }
    servers.stopExtension(name);
    startInBackground(slot);
    return slot.info();
  }

  public ExtensionInfo disable(String name) {
    ExtensionSlot slot = slot(name);
    ExtensionConfig next = slot.config().withEnabled(false);
    writes.lock();
    try {
      persist(name, Optional.of(next));
      slot.replace(next);
    } finally {
      writes.unlock();
    }
    servers.stopExtension(name);
    return slot.info();
  }

  /**
   * The tools one extension offers the model (prefixed, filtered), starting it if it is enabled and
   * not running. Empty when it is disabled or cannot start ({@link #get} then says why).
   */
  public List<ToolSpec> tools(String name) {
    ExtensionSlot slot = slot(name);
    if (!slot.config().enabled()) return List.of();
    try {
      return toolsOf(slot, Optional.empty());
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /** Whether an extension of this name is configured (built-ins included). */
  public boolean has(String name) {
    return slots.containsKey(name);
  }

  /**
   * Turns a configured extension on for this process only ({@code --with-builtin}): nothing is
   * written to config.yaml. Refused like {@link #enable} when the allowlist does not allow it.
   */
  public ExtensionInfo enableUnsaved(String name) {
    ExtensionSlot slot = slot(name);
    ExtensionConfig next = slot.config().withEnabled(true);
    allowlist.check(next);
    writes.lock();
    try {
      slot.replace(next);
    } finally {
      writes.unlock();
    }
    startInBackground(slot);
    return slot.info();
  }

  /** The allowlist every extension of this server passes, session-scoped ones included. */
  Allowlist allowlist() {
    return allowlist;
  }

  /** The rules for the remote servers users (not admins) give for their sessions. */
  UserRemotes userRemotes() {
    return userRemotes;
  }

  /**
   * Starts a server that one session alone uses ({@link SessionToolbox}), through the same door
   * (the sandbox, the allowlist, the child environment) as the configured ones; each request of a
   * remote one passes {@code guard}.
   */
  McpConnection openSessionServer(
      ExtensionConfig c, java.nio.file.Path workspace, UserRemotes.RemoteGuard guard) {
    return servers.openForSession(c, workspace, guard);
  }

  /** The pid of an extension's stdio server, while one runs (for diagnostics and tests). */
  public java.util.OptionalLong pid(String name) {
    return slot(name).connection().map(McpConnection::pid).orElse(java.util.OptionalLong.empty());
  }

  // ---- Toolbox ----

  @Override
  public List<ToolSpec> tools(ToolContext context) {
    sync(false);
    List<ExtensionSlot> enabled =
        slots.values().stream()
            .filter(s -> s.config().enabled())
            .sorted(Comparator.comparing(s -> s.config().name()))
            .toList();
    List<ToolSpec> out = new ArrayList<>();
    try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<ExtensionSlot, Future<List<ToolSpec>>> pending = new LinkedHashMap<>();
      for (ExtensionSlot s : enabled)
        pending.put(s, starts.submit(() -> toolsOf(s, Optional.of(context))));
      for (Map.Entry<ExtensionSlot, Future<List<ToolSpec>>> e : pending.entrySet()) {
        try {
          out.addAll(e.getValue().get());
        } catch (java.util.concurrent.ExecutionException ex) {
          log.debug(
              "extension {} offers no tools now: {}",
              e.getKey().config().name(),
              McpErrors.describe(ex));
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return out;
  }

  /**
   * Enabled extensions that run (built-ins always do), by name: those whose tools {@link
   * #tools(ToolContext)} offered.
   */
  @Override
  public List<ActiveExtension> extensions(ToolContext context) {
    return slots.values().stream()
        .filter(s -> s.config().enabled())
        .sorted(Comparator.comparing(s -> s.config().name()))
        .flatMap(
            s ->
                s
                    .builtin()
                    .map(b -> Optional.of(b.instructions()))
                    .orElseGet(() -> s.connection().map(McpConnection::instructions))
                    .map(text -> new ActiveExtension(s.config().name(), text))
                    .stream())
        .toList();
  }

  @Override
  public Content.ToolResponse call(ToolContext context, Content.ToolRequest request) {
    String full = request.name();
    int sep = full.indexOf("__");
    if (sep <= 0)
      return Content.ToolResponse.error(
          request.id(), "no tool named '" + full + "' (tools are named extension__tool)");
    String extension = full.substring(0, sep);
    String tool = full.substring(sep + 2);
    sync(false);
    ExtensionSlot slot = slots.get(extension);
    if (slot == null)
      return Content.ToolResponse.error(request.id(), "no extension named '" + extension + "'");
    ExtensionConfig c = slot.config();
    if (!c.enabled())
      return Content.ToolResponse.error(request.id(), "extension '" + extension + "' is disabled");
    if (!c.offers(tool))
      return Content.ToolResponse.error(
          request.id(), "extension '" + extension + "' offers no tool '" + tool + "'");
    if (closed) return Content.ToolResponse.error(request.id(), "the server is shutting down");
    if (slot.builtin().isPresent()) {
      BuiltinExtension b = slot.builtin().get();
      try {
        return b.call(context, new Content.ToolRequest(request.id(), tool, request.arguments()));
      } catch (RuntimeException e) {
        log.warn("built-in {} tool {} threw", extension, tool, e);
        return Content.ToolResponse.error(
            request.id(), "tool '" + full + "' failed: " + McpErrors.describe(e));
      }
    }
    try {
      return servers.use(
          slot,
          context,
          connection ->
              connection.call(request.id(), tool, request.arguments(), context.notifications()));
    } catch (RuntimeException e) {
      return Content.ToolResponse.error(
          request.id(), "extension '" + extension + "' is not available: " + e.getMessage());
    }
  }

  /**
   * A session was deleted: the per-workspace extension servers only it used stop (a no-op without
   * the sandbox).
   */
  public void sessionEnded(String sessionId) {
    servers.sessionEnded(sessionId);
  }

  /** Per-workspace extension servers a user has running or starting (diagnostics and tests). */
  public int workspaceServers(String userId) {
    return servers.workspaceServers(userId);
  }

  /** Those of them serving a call right now (diagnostics and tests). */
  public int busyWorkspaceServers(String userId) {
    return servers.busyWorkspaceServers(userId);
  }

  /** Stops every extension server (and their process trees). Later calls answer with an error. */
  @Override
  public void close() {
    closed = true;
    List<ExtensionSlot> all = new ArrayList<>(slots.values());
    try (ExecutorService stops = Executors.newVirtualThreadPerTaskExecutor()) {
      all.forEach(s -> stops.execute(s::stop));
      stops.execute(servers::close);
    }
  }

  // ---- internals ----

  private ExtensionSlot slot(String name) {
    ExtensionSlot slot = name == null ? null : slots.get(name);
    if (slot == null) throw new ExtensionException.NotFound(name == null ? "" : name);
    return slot;
  }

  private List<ToolSpec> toolsOf(ExtensionSlot slot, Optional<ToolContext> context) {
    ExtensionConfig c = slot.config();
    if (slot.builtin().isPresent()) {
      String prefix = c.name() + "__";
      return slot.builtin().get().tools().stream()
          .filter(t -> c.offers(t.name()))
          .map(t -> new ToolSpec(prefix + t.name(), t.description(), t.inputSchema(), t.readOnly()))
          .toList();
    }
    if (c.launch() instanceof Launch.Builtin) return List.of();
    if (closed) throw new IllegalStateException("the server is shutting down");
    if (context.isPresent() && servers.perWorkspace(c))
      return servers.use(slot, context.get(), McpConnection::tools);
    List<ToolSpec> tools = servers.shared(slot).tools();
    slot.toolsSeen(tools);
    return tools;
  }

  private void startInBackground(ExtensionSlot slot) {
    ExtensionConfig c = slot.config();
    if (!c.enabled() || c.launch() instanceof Launch.Builtin || closed) return;
    Thread.ofVirtual()
        .name("start-" + c.name())
        .start(
            () -> {
              try {
                servers.shared(slot);
              } catch (RuntimeException e) {
                log.warn("extension {} did not start: {}", c.name(), e.getMessage());
              }
            });
  }

  /**
   * Keeps a change: in the shared store when there is one (every replica applies it), else in
   * config.yaml. Throws {@link ExtensionException.NotSaved} when it cannot be written.
   */
  private void persist(String name, Optional<ExtensionConfig> value) {
    if (shared.isPresent()) {
      Optional<JsonNode> entry = value.map(ExtensionConfigs::toNode);
      shared.get().save(name, entry);
      applied.put(name, entry.map(n -> Json.parse(Json.write(n)))); // as it reads back
      return;
    }
    JsonNode current = config.node(KEY).orElse(null);
    ObjectNode all = current instanceof ObjectNode o ? o : Json.object();
    if (value.isPresent()) all.set(name, ExtensionConfigs.toNode(value.get()));
    else all.remove(name);
    try {
      config.setNode(KEY, all);
    } catch (goose.config.ConfigException e) {
      throw new ExtensionException.NotSaved("extension changes cannot be saved: " + e.getMessage());
    }
  }
}

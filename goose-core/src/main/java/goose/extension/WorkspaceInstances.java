package goose.extension;

import goose.tool.ToolContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With the sandbox on, a stdio extension does not run one server for everybody: a sandboxed process
 * may see one workspace only, so each user gets a server per workspace (per working directory),
 * started on first use by one of their sessions. Two sessions of one user in one directory share
 * it: the sandbox shows both exactly the same files, so nothing can pass between them that could
 * not anyway, and a second session does not pay for a second start. An instance stops when it has
 * been idle for {@code GOOSE_SANDBOX_EXTENSION_IDLE}, when the last session that used it is
 * deleted, when its extension changes, and at shutdown; one user may have at most {@code
 * GOOSE_SANDBOX_EXTENSIONS_PER_USER} (the least recently used idle one makes room). Thread-safe.
 */
final class WorkspaceInstances implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkspaceInstances.class);

  /** Whose server this is: the extension, the user, the workspace (a real path). */
  record Key(String extension, String user, Path workspace) {}

  /** One running (or starting, or failed) server of one key. */
  static final class Instance {
    final Key key;
    final ExtensionSlot slot;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inUse = new AtomicInteger();
    private volatile Instant lastUsed;

    private Instance(Key key, ExtensionSlot slot, Instant now) {
      this.key = key;
      this.slot = slot;
      this.lastUsed = now;
    }
  }

  private final Map<Key, Instance> instances = new HashMap<>(); // guarded by this
  private final Duration idle;
  private final int perUser;
  private final Duration backoffBase;
  private final Clock clock;
  private final Thread reaper;
  private volatile boolean closed;

  WorkspaceInstances(Duration idle, int perUser, Duration backoffBase, Clock clock) {
    this.idle = idle;
    this.perUser = perUser;
    this.backoffBase = backoffBase;
    this.clock = clock;
    this.reaper = Thread.ofVirtual().name("extension-reaper").start(this::reapLoop);
  }

  /**
   * The instance of {@code config}'s extension for the session's user and {@code workspace},
   * created when missing and marked in use until {@link #release}. Throws {@link
   * ExtensionStartException} when the user has as many as allowed and all are busy.
   */
  Instance acquire(ExtensionConfig config, ToolContext context, Path workspace) {
    Key key = new Key(config.name(), context.userId(), workspace);
    Instant now = clock.instant();
    Optional<Instance> evicted = Optional.empty();
    Instance instance;
    synchronized (this) {
      if (closed) throw new IllegalStateException("the server is shutting down");
      instance = instances.get(key);
      if (instance == null) {
        List<Instance> mine =
            instances.values().stream().filter(i -> i.key.user().equals(key.user())).toList();
        if (mine.size() >= perUser) {
          Instance lru =
              mine.stream()
                  .filter(i -> i.inUse.get() == 0)
                  .min(Comparator.comparing(i -> i.lastUsed))
                  .orElseThrow(
                      () ->
                          new ExtensionStartException(
                              "you already have "
                                  + perUser
                                  + " extension servers running, all busy"
                                  + " (GOOSE_SANDBOX_EXTENSIONS_PER_USER); try again when a call"
                                  + " ends"));
          instances.remove(lru.key);
          evicted = Optional.of(lru);
        }
        instance = new Instance(key, new ExtensionSlot(config, Optional.empty(), backoffBase), now);
        instances.put(key, instance);
      } else if (!instance.slot.config().equals(config)) {
        instance.slot.replace(config);
      }
      instance.sessions.add(context.sessionId());
      instance.inUse.incrementAndGet();
      instance.lastUsed = now;
    }
    evicted.ifPresent(this::stop);
    return instance;
  }

  /** The end of a use that {@link #acquire} began. */
  void release(Instance instance) {
    instance.lastUsed = clock.instant();
    instance.inUse.decrementAndGet();
  }

  /** Stops every instance of one extension (changed, disabled or deleted). */
  void stopExtension(String name) {
    stopAll(i -> i.key.extension().equals(name));
  }

  /** The session is gone: instances no other session used and none is using now stop. */
  void sessionEnded(String sessionId) {
    stopAll(i -> i.sessions.remove(sessionId) && i.sessions.isEmpty() && i.inUse.get() == 0);
  }

  /** Stops the instances idle for longer than the idle time. */
  void reapIdle() {
    Instant cutoff = clock.instant().minus(idle);
    stopAll(i -> i.inUse.get() == 0 && i.lastUsed.isBefore(cutoff));
  }

  /** How many instances run (or start) for a user. */
  synchronized int count(String user) {
    return (int) instances.values().stream().filter(i -> i.key.user().equals(user)).count();
  }

  /** How many of a user's instances are in use by a call right now. */
  synchronized int busy(String user) {
    return (int)
        instances.values().stream()
            .filter(i -> i.key.user().equals(user) && i.inUse.get() > 0)
            .count();
  }

  private void stopAll(java.util.function.Predicate<Instance> which) {
    List<Instance> stopped = new ArrayList<>();
    synchronized (this) {
      instances.values().removeIf(i -> which.test(i) && stopped.add(i));
    }
    if (stopped.size() == 1) stop(stopped.getFirst());
    else if (!stopped.isEmpty()) {
      try (var stops = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        stopped.forEach(i -> stops.execute(() -> stop(i)));
      }
    }
  }

  private void stop(Instance instance) {
    log.debug(
        "stopping extension {} of user {} in {}",
        instance.key.extension(),
        instance.key.user(),
        instance.key.workspace());
    instance.slot.stop();
  }

  private void reapLoop() {
    long interval = Math.clamp(idle.toMillis() / 2, 200, 30_000);
    while (!closed) {
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      try {
        reapIdle();
      } catch (RuntimeException e) {
        log.warn("stopping idle extension servers failed", e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    reaper.interrupt();
    stopAll(i -> true);
  }
}

package goose.extension;

import goose.tool.ToolSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One configured extension and its runtime state: at most one server per extension, started once
 * however many sessions ask at the same time. {@link #lock} guards only the state changes, never a
 * start or a call, so calls run concurrently and a stop never waits for a slow server.
 */
final class ExtensionSlot {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final ReentrantLock lock = new ReentrantLock();
  private final Duration backoffBase;
  private volatile ExtensionConfig config;
  private final Optional<BuiltinExtension> builtin;
  private volatile @Nullable McpConnection connection;
  private volatile @Nullable String lastError;
  private int failures; // guarded by lock
  private volatile Instant retryAt = Instant.MIN;
  private volatile int knownToolCount;
  // guarded by lock: a start in progress, its connection once created, and a counter that every
  // stop
  // or replacement bumps, so a start that finishes after it knows it is stale
  private @Nullable CompletableFuture<McpConnection> starting;
  private @Nullable McpConnection opening;
  private long generation;

  ExtensionSlot(ExtensionConfig config, Optional<BuiltinExtension> builtin, Duration backoffBase) {
    this.config = config;
    this.builtin = builtin;
    this.backoffBase = backoffBase;
  }

  ExtensionConfig config() {
    return config;
  }

  Optional<BuiltinExtension> builtin() {
    return builtin;
  }

  Optional<McpConnection> connection() {
    return Optional.ofNullable(connection);
  }

  ExtensionInfo info() {
    ExtensionConfig c = config;
    boolean isBuiltin = c.launch() instanceof ExtensionConfig.Launch.Builtin;
    String error =
        isBuiltin && builtin.isEmpty()
            ? "no built-in extension named '" + c.name() + "'"
            : lastError;
    ExtensionStatus status;
    if (error != null) status = ExtensionStatus.FAILED;
    else if (c.enabled() && (connection != null || isBuiltin)) status = ExtensionStatus.RUNNING;
    else status = ExtensionStatus.STOPPED;
    int count =
        builtin
            .map(b -> (int) b.tools().stream().filter(t -> c.offers(t.name())).count())
            .orElse(knownToolCount);
    return new ExtensionInfo(
        c.name(),
        c.type(),
        c.description(),
        c.enabled(),
        status,
        Optional.ofNullable(error),
        count,
        c);
  }

  /**
   * Opens a connection; hands it to {@code created} before initialising it, so a stop can abort it.
   */
  @FunctionalInterface
  interface Opener {
    McpConnection open(ExtensionConfig config, Consumer<McpConnection> created);
  }

  /**
   * Returns the running connection, starting one with {@code opener} when there is none; concurrent
   * callers share one start. The lock is not held while the server starts, so a disable, an update
   * or a shutdown meanwhile returns at once and aborts the start. Throws {@link
   * ExtensionStartException} when the start fails or the last failure's back-off has not passed.
   */
  McpConnection running(Supplier<Instant> now, Opener opener) {
    McpConnection current = connection;
    if (current != null) return current;
    CompletableFuture<McpConnection> mine = new CompletableFuture<>(); // used when this call starts
    CompletableFuture<McpConnection> other;
    long generationAtStart;
    ExtensionConfig startConfig;
    lock.lock();
    try {
      if (connection != null) return connection;
      other = starting;
      if (other != null) {
        generationAtStart = generation;
        startConfig = config;
      } else {
        Instant t = now.get();
        if (lastError != null && t.isBefore(retryAt)) {
          long seconds = Math.max(1, Duration.between(t, retryAt).toSeconds());
          throw new ExtensionStartException(lastError + " (next attempt in " + seconds + " s)");
        }
        starting = mine;
        generationAtStart = generation;
        startConfig = config;
      }
    } finally {
      lock.unlock();
    }
    if (other != null) return await(other); // someone else is starting it: share that start
    try {
      McpConnection opened =
          opener.open(startConfig, created -> adoptOpening(created, generationAtStart));
      int tools = opened.tools().size();
      boolean stale;
      lock.lock();
      try {
        opening = null;
        stale = generation != generationAtStart || opened.failure().isPresent();
        if (!stale) {
          connection = opened;
          knownToolCount = tools;
          lastError = null;
          failures = 0;
        }
        if (starting == mine) starting = null;
      } finally {
        lock.unlock();
      }
      if (stale) {
        opened.close();
        throw new ExtensionStartException(
            opened.failure().orElse("the extension was changed or stopped while it started"));
      }
      mine.complete(opened);
      return opened;
    } catch (RuntimeException e) {
      String why =
          (e instanceof ExtensionStartException || e instanceof ExtensionException)
                  && e.getMessage() != null
              ? e.getMessage()
              : McpErrors.describe(e);
      lock.lock();
      try {
        opening = null;
        if (generation == generationAtStart) failed(why, now.get());
        if (starting == mine) starting = null;
      } finally {
        lock.unlock();
      }
      RuntimeException out =
          e instanceof ExtensionException ee
              ? ee
              : e instanceof ExtensionStartException se ? se : new ExtensionStartException(why, e);
      mine.completeExceptionally(out);
      throw out;
    }
  }

  private void adoptOpening(McpConnection created, long generationAtStart) {
    boolean stale;
    lock.lock();
    try {
      stale = generation != generationAtStart;
      if (!stale) opening = created;
    } finally {
      lock.unlock();
    }
    if (stale) created.close();
  }

  private static McpConnection await(CompletableFuture<McpConnection> start) {
    try {
      return start.get();
    } catch (ExecutionException e) {
      Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
      throw cause instanceof RuntimeException r
          ? r
          : new ExtensionStartException(McpErrors.describe(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExtensionStartException("interrupted while the extension started", e);
    }
  }

  void toolsSeen(List<ToolSpec> tools) {
    knownToolCount = tools.size();
  }

  /** The connection {@code broken} died: forget it and back off before the next start. */
  void connectionBroke(McpConnection broken, String why, Instant now) {
    lock.lock();
    try {
      if (connection != broken) return;
      connection = null;
      failed(why, now);
    } finally {
      lock.unlock();
    }
  }

  private void failed(String why, Instant now) {
    lastError = why;
    failures++;
    long factor = 1L << Math.min(failures - 1, 10);
    Duration delay = backoffBase.multipliedBy(factor);
    retryAt = now.plus(delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay);
  }

  /** Stops the server (if any) and takes a new configuration; the next use starts afresh. */
  void replace(ExtensionConfig next) {
    stop(Optional.of(next));
  }

  /** Stops the server and any start in progress, killing their processes. */
  void stop() {
    stop(Optional.empty());
  }

  private void stop(Optional<ExtensionConfig> next) {
    McpConnection running;
    McpConnection starting;
    lock.lock();
    try {
      generation++;
      running = connection;
      starting = opening;
      connection = null;
      opening = null;
      this.starting = null;
      if (next.isPresent()) {
        config = next.get();
        lastError = null;
        failures = 0;
        retryAt = Instant.MIN;
      }
    } finally {
      lock.unlock();
    }
    if (running != null) running.close();
    if (starting != null) starting.close();
  }
}

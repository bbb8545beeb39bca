package goose.extension;

import goose.tool.ToolSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One configured extension and its runtime state. Starting and stopping hold {@link #lock} so one
 * extension never has two servers; calls on a running connection do not, so they run concurrently.
 */
final class ExtensionSlot {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  final ReentrantLock lock = new ReentrantLock();
  private final Duration backoffBase;
  private volatile ExtensionConfig config;
  private final Optional<BuiltinExtension> builtin;
  private volatile McpConnection connection;
  private volatile String lastError;
  private volatile int failures;
  private volatile Instant retryAt = Instant.MIN;
  private volatile int knownToolCount;

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
    String error = isBuiltin && builtin.isEmpty() ? "no built-in extension named '" + c.name() + "'" : lastError;
    ExtensionStatus status;
    if (error != null) status = ExtensionStatus.FAILED;
    else if (c.enabled() && (connection != null || isBuiltin)) status = ExtensionStatus.RUNNING;
    else status = ExtensionStatus.STOPPED;
    int count = builtin.map(b -> (int) b.tools().stream().filter(t -> c.offers(t.name())).count()).orElse(knownToolCount);
    return new ExtensionInfo(c.name(), c.type(), c.description(), c.enabled(), status, Optional.ofNullable(error), count, c);
  }

  /**
   * Returns the running connection, starting one with {@code opener} when there is none. Throws
   * {@link ExtensionStartException} when the start fails or the last failure's back-off has not passed.
   */
  McpConnection running(Supplier<Instant> now, Function<ExtensionConfig, McpConnection> opener) {
    McpConnection c = connection;
    if (c != null) return c;
    lock.lock();
    try {
      if (connection != null) return connection;
      Instant t = now.get();
      if (lastError != null && t.isBefore(retryAt)) {
        long seconds = Math.max(1, Duration.between(t, retryAt).toSeconds());
        throw new ExtensionStartException(lastError + " (next attempt in " + seconds + " s)", null);
      }
      try {
        McpConnection opened = opener.apply(config);
        connection = opened;
        knownToolCount = opened.tools().size();
        lastError = null;
        failures = 0;
        return opened;
      } catch (RuntimeException e) {
        String why = e instanceof ExtensionStartException || e instanceof ExtensionException ? e.getMessage() : McpErrors.describe(e);
        failed(why, t);
        throw e instanceof ExtensionException ee ? ee : new ExtensionStartException(why, e);
      }
    } finally {
      lock.unlock();
    }
  }

  void toolsSeen(List<ToolSpec> tools) {
    knownToolCount = tools.size();
  }

  /** The connection {@code broken} died: forget it and back off before the next start. */
  void connectionBroke(McpConnection broken, String why, Instant now) {
    lock.lock();
    try {
      if (connection == broken) connection = null;
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
    lock.lock();
    try {
      stop();
      config = next;
      lastError = null;
      failures = 0;
      retryAt = Instant.MIN;
    } finally {
      lock.unlock();
    }
  }

  void stop() {
    lock.lock();
    try {
      McpConnection c = connection;
      connection = null;
      if (c != null) c.close();
    } finally {
      lock.unlock();
    }
  }
}

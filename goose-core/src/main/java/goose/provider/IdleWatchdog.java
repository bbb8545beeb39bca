package goose.provider;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Aborts a provider exchange that went {@code timeout} without a byte. java.net.http has a connect
 * timeout and a time-to-headers timeout but no idle-read timeout, and a streamed reply can stall at
 * any point, so every exchange gets a watch that its reader {@link Watch#touch() touches} on each
 * read. One shared daemon thread serves all watches; each watch has at most one pending check,
 * re-armed at (last byte + timeout), so the cost per read is one volatile write.
 */
final class IdleWatchdog {
  private static final ScheduledThreadPoolExecutor SCHEDULER = createScheduler();

  private IdleWatchdog() {}

  private static ScheduledThreadPoolExecutor createScheduler() {
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "provider-idle-watchdog");
              t.setDaemon(true);
              return t;
            });
    s.setRemoveOnCancelPolicy(true);
    return s;
  }

  static Watch start(Duration timeout, Runnable onIdle) {
    Watch w = new Watch(timeout.toNanos(), onIdle);
    w.arm(timeout.toNanos());
    return w;
  }

  static final class Watch {
    private final long timeoutNanos;
    private final Runnable onIdle;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean stopped;
    private @Nullable ScheduledFuture<?> pending;

    private Watch(long timeoutNanos, Runnable onIdle) {
      this.timeoutNanos = timeoutNanos;
      this.onIdle = onIdle;
    }

    void touch() {
      lastActivity = System.nanoTime();
    }

    synchronized void stop() {
      stopped = true;
      if (pending != null) pending.cancel(false);
    }

    private synchronized void arm(long delayNanos) {
      if (!stopped) pending = SCHEDULER.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
      if (stopped) return;
      long idle = System.nanoTime() - lastActivity;
      if (idle >= timeoutNanos) {
        stopped = true;
        onIdle.run();
      } else {
        arm(timeoutNanos - idle);
      }
    }
  }
}

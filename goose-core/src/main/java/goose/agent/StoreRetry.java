package goose.agent;

import goose.session.SessionNotFoundException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A turn's write to the store, tried again after an error that may pass (a dropped connection, a
 * busy database): an event is never skipped while later ones are stored (their sequence numbers
 * would close the gap, and no client could see it), and a turn's end is not left to the recovery of
 * a process that did not stop. A lost lease or a deleted session is final and not retried.
 */
final class StoreRetry {
  private static final Logger log = LoggerFactory.getLogger(StoreRetry.class);

  /** Attempts in all before the error is the caller's. */
  static final int ATTEMPTS = 4;

  /**
   * The wait before the second attempt; each later one waits four times longer (0.1, 0.4, 1.6 s).
   */
  static final Duration FIRST_WAIT = Duration.ofMillis(100);

  private StoreRetry() {}

  static <T> T write(Supplier<T> write, Duration firstWait, String what) {
    Duration wait = firstWait;
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (LeaseLostException | SessionNotFoundException e) {
        throw e;
      } catch (RuntimeException e) {
        if (attempt == ATTEMPTS) throw e;
        log.warn(
            "could not store {} ({}); trying again in {} ms",
            what,
            e.getMessage(),
            wait.toMillis());
        try {
          Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        wait = wait.multipliedBy(4);
      }
    }
  }
}

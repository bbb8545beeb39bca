package goose.provider;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * How failed provider requests are retried: up to {@code maxRetries} times, waiting what the
 * provider asked ({@code retry-after}, {@code retry-after-ms}) or else an exponential back-off from
 * {@code baseDelay} with jitter, capped at {@code maxDelay}. A provider asking for a wait longer
 * than {@code maxDelay} is not retried: the caller learns at once instead of hanging.
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay) {
  public RetryPolicy {
    if (maxRetries < 0) throw new IllegalArgumentException("max_retries must be >= 0");
  }

  public static RetryPolicy of(int maxRetries) {
    return new RetryPolicy(maxRetries, Duration.ofSeconds(1), Duration.ofSeconds(60));
  }

  /**
   * The wait before retry number {@code retry} (1-based): the provider's own request when given,
   * otherwise base * 2^(retry-1), halved at random ("equal jitter") so clients spread out.
   */
  public Duration delay(int retry, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent()) return retryAfter.get();
    long base = baseDelay.toMillis() << Math.min(20, retry - 1);
    long capped = Math.min(base, maxDelay.toMillis());
    long half = capped / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  /** Whether a wait of {@code delay} is acceptable (not longer than {@code maxDelay}). */
  public boolean allows(Duration delay) {
    return delay.compareTo(maxDelay) <= 0;
  }

  /**
   * The wait a response asks for ({@code header} gives a response header's first value by name):
   * {@code retry-after-ms} (OpenAI), else {@code retry-after} as seconds or as an HTTP date.
   */
  public static Optional<Duration> retryAfter(Function<String, Optional<String>> header) {
    Optional<String> ms = header.apply("retry-after-ms");
    if (ms.isPresent()) {
      try {
        return Optional.of(Duration.ofMillis((long) Double.parseDouble(ms.get().trim())));
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    return header.apply("retry-after").flatMap(RetryPolicy::parseRetryAfter);
  }

  static Optional<Duration> parseRetryAfter(String value) {
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      return seconds < 0
          ? Optional.empty()
          : Optional.of(Duration.ofMillis((long) (seconds * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration d =
            Duration.between(
                Instant.now(),
                ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}

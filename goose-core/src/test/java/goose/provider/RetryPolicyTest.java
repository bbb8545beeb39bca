package goose.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30));

  @RepeatedTest(20)
  void backoffDoublesWithJitterWithinBounds() {
    assertThat(policy.delay(1, Optional.empty()))
        .isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
    assertThat(policy.delay(3, Optional.empty()))
        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(policy.delay(10, Optional.empty()))
        .isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
  }

  @Test
  void providerRequestedDelayWins() {
    assertThat(policy.delay(1, Optional.of(Duration.ofSeconds(7))))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.allows(Duration.ofSeconds(31))).isFalse();
  }

  @Test
  void retryAfterIsReadAsSecondsOrHttpDate() {
    assertThat(RetryPolicy.parseRetryAfter("2")).contains(Duration.ofSeconds(2));
    assertThat(RetryPolicy.parseRetryAfter("0.25")).contains(Duration.ofMillis(250));
    assertThat(RetryPolicy.parseRetryAfter("soon")).isEmpty();
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(20));
    assertThat(RetryPolicy.parseRetryAfter(date))
        .hasValueSatisfying(
            d -> assertThat(d).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(21)));
  }
}

package goose.acp.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A stream's mailbox: what waits for a receiver, and the wait that lets {@code session/load}'s
 * answer follow its replay on another stream.
 */
class MailboxTest {
  private final AtomicLong buffered = new AtomicLong();
  private final Mailbox mailbox = new Mailbox(buffered::addAndGet);

  @Test
  void keepsMessagesUntilAReceiverTakesThemAndOneReceiverAtATime() throws Exception {
    mailbox.push("{\"a\":1}");
    try (Mailbox.Lease lease = mailbox.acquire().orElseThrow()) {
      assertThat(mailbox.acquire()).as("a second receiver").isEmpty();
      assertThat(lease.next(Duration.ofSeconds(1))).contains("{\"a\":1}");
      assertThat(lease.next(Duration.ofMillis(10))).isEmpty();
    }
    assertThat(buffered).hasValue(0);
    assertThat(mailbox.acquire()).as("free again once the first receiver is gone").isPresent();
  }

  @Test
  void awaitWrittenReturnsOnlyOnceTheReceiverHasWrittenWhatWasQueued() throws Exception {
    Mailbox.Lease lease = mailbox.acquire().orElseThrow();
    mailbox.push("{\"replay\":1}");
    mailbox.push("{\"replay\":2}");
    CompletableFuture<Void> written =
        CompletableFuture.runAsync(
            () -> {
              try {
                mailbox.awaitWritten(Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            Thread::startVirtualThread);

    assertThat(lease.next(Duration.ofSeconds(1))).contains("{\"replay\":1}");
    assertThat(lease.next(Duration.ofSeconds(1))).contains("{\"replay\":2}");
    // The second message is taken but its write is not finished until the receiver asks again.
    assertThat(written).as("still writing the last message").isNotDone();
    assertThat(lease.next(Duration.ofMillis(10))).isEmpty();
    written.get(5, TimeUnit.SECONDS);
  }

  @Test
  void awaitWrittenDoesNotWaitWithoutAReceiver() throws Exception {
    mailbox.push("{\"queued\":true}");
    long start = System.nanoTime();
    mailbox.awaitWritten(Duration.ofSeconds(30));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }
}

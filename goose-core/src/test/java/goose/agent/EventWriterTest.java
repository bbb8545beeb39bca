package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;

import goose.conversation.TokenUsage;
import goose.event.TurnEvent;
import goose.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventWriterTest {
  static TurnEvent.MessageChunk text(String t, String message) {
    return new TurnEvent.MessageChunk("text", t, message);
  }

  static final TurnEvent.ToolCall CALL =
      new TurnEvent.ToolCall("c", "ext__t", Json.object(), "running");
  static final TurnEvent.ToolResult RESULT =
      new TurnEvent.ToolResult("c", "ext__t", "success", Json.MAPPER.createArrayNode());

  /** An event as stored, with the thread that stored it. */
  record Written(TurnEvent event, Thread thread) {}

  /** A sink that records what it stores, and can hold the store of one event until released. */
  static final class Sink implements TurnEmitter {
    final List<Written> written = new CopyOnWriteArrayList<>();
    volatile TurnEvent holdAt = RESULT;
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void emit(TurnEvent event) {
      if (event.equals(holdAt)) {
        holding.countDown();
        try {
          assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      written.add(new Written(event, Thread.currentThread()));
    }

    List<TurnEvent> events() {
      return written.stream().map(Written::event).toList();
    }
  }

  /** Text chunks never count as after a pause, except the turn's first. */
  static final Duration NEVER = Duration.ofDays(1);

  @Test
  void aToolResultIsStoredOnTheEmittingThreadWhenTheWriterIsIdle() {
    Sink sink = new Sink();
    sink.holdAt = text("never", "m");
    try (EventWriter writer = new EventWriter(sink, "turn", NEVER)) {
      writer.emit(CALL);
      writer.flush();
      writer.emit(RESULT); // stored before emit returns: no hand-off
      assertThat(sink.events()).containsExactly(CALL, RESULT);
      writer.emit(text("a", "m"));
      writer.flush();
    }
    assertThat(sink.written.get(0).thread()).isNotEqualTo(Thread.currentThread());
    assertThat(sink.written.get(1).thread()).isEqualTo(Thread.currentThread());
    // A text chunk right after another emit goes through the writer thread (merging needs the
    // queue).
    assertThat(sink.written.get(2).thread()).isNotEqualTo(Thread.currentThread());
  }

  @Test
  void aTextChunkAfterAPauseIsStoredOnTheEmittingThreadWhenTheWriterIsIdle() {
    Sink sink = new Sink();
    sink.holdAt = text("never", "m");
    try (EventWriter writer = new EventWriter(sink, "turn", Duration.ZERO)) {
      writer.emit(text("a", "m")); // stored before emit returns: no hand-off
      assertThat(sink.events()).containsExactly(text("a", "m"));
      writer.emit(text("b", "m"));
      assertThat(sink.events()).containsExactly(text("a", "m"), text("b", "m"));
    }
    assertThat(sink.written)
        .allSatisfy(w -> assertThat(w.thread()).isEqualTo(Thread.currentThread()));
  }

  @Test
  void textChunksInABurstAreQueuedAndMergedBehindAnInlineWrite() throws Exception {
    Sink sink = new Sink();
    sink.holdAt = text("a", "m");
    try (EventWriter writer = new EventWriter(sink, "turn", NEVER)) {
      // The turn's first chunk is stored on its thread ("reader" here), held in the store.
      Thread reader = Thread.ofPlatform().name("reader").start(() -> writer.emit(text("a", "m")));
      assertThat(sink.holding.await(10, TimeUnit.SECONDS)).isTrue();
      writer.emit(text("b", "m")); // no pause since: queued, returns at once
      writer.emit(text("c", "m"));
      assertThat(sink.written).isEmpty();
      sink.release.countDown();
      reader.join(10_000);
      writer.flush();
    }
    assertThat(sink.events()).containsExactly(text("a", "m"), text("bc", "m"));
    assertThat(sink.written.get(0).thread().getName()).isEqualTo("reader");
    assertThat(sink.written.get(1).thread()).isNotEqualTo(Thread.currentThread());
  }

  @Test
  void aToolResultEmittedWhileTheWriterIsBusyIsQueuedBehindWhatIsThere() throws Exception {
    Sink sink = new Sink();
    sink.holdAt = CALL;
    try (EventWriter writer = new EventWriter(sink, "turn", () -> {})) {
      writer.emit(CALL); // the writer thread holds it in the store
      assertThat(sink.holding.await(10, TimeUnit.SECONDS)).isTrue();
      writer.emit(RESULT); // returns at once: queued, not stored on this thread
      assertThat(sink.written).isEmpty();
      sink.release.countDown();
      writer.flush();
    }
    assertThat(sink.events()).containsExactly(CALL, RESULT);
    assertThat(sink.written)
        .allSatisfy(w -> assertThat(w.thread()).isNotEqualTo(Thread.currentThread()));
  }

  @Test
  void eventsEmittedDuringAnInlineWriteFollowItInOrder() throws Exception {
    Sink sink = new Sink();
    TurnEvent.MessageComplete end = new TurnEvent.MessageComplete("end_turn", TokenUsage.ZERO);
    try (EventWriter writer = new EventWriter(sink, "turn", () -> {})) {
      Thread reader = Thread.ofPlatform().name("reader").start(() -> writer.emit(RESULT));
      assertThat(sink.holding.await(10, TimeUnit.SECONDS)).isTrue(); // "reader" stores the result
      writer.emit(text("after", "m"));
      writer.emit(end); // the writer is busy: queued too
      Thread flusher = Thread.ofPlatform().start(writer::flush);
      flusher.join(200);
      assertThat(flusher.isAlive()).as("flush waits for the inline write").isTrue();
      assertThat(sink.written).isEmpty();
      sink.release.countDown();
      reader.join(10_000);
      flusher.join(10_000);
      assertThat(flusher.isAlive()).isFalse();
    }
    assertThat(sink.events()).containsExactly(RESULT, text("after", "m"), end);
    assertThat(sink.written.getFirst().thread().getName()).isEqualTo("reader");
  }

  @Test
  void mergesOnlyAdjacentChunksOfTheSameMessageAndKind() {
    TurnEvent.ToolCall call = new TurnEvent.ToolCall("c", "t", goose.json.Json.object(), "running");
    List<TurnEvent> merged =
        EventWriter.merge(
            List.of(
                text("a", "m1"),
                text("b", "m1"),
                new TurnEvent.MessageChunk("thinking", "hm", "m1"),
                text("c", "m1"),
                call,
                text("d", "m1"),
                text("e", "m2"),
                new TurnEvent.MessageComplete("end_turn", TokenUsage.ZERO)));

    assertThat(merged)
        .containsExactly(
            text("ab", "m1"),
            new TurnEvent.MessageChunk("thinking", "hm", "m1"),
            text("c", "m1"),
            call,
            text("d", "m1"),
            text("e", "m2"),
            new TurnEvent.MessageComplete("end_turn", TokenUsage.ZERO));
  }

  @Test
  void aStoreErrorIsRetriedSoNoEventIsSkippedWhileLaterOnesAreStored() {
    AtomicInteger failures = new AtomicInteger(2);
    List<TurnEvent> stored = new CopyOnWriteArrayList<>();
    AtomicInteger stops = new AtomicInteger();
    TurnEmitter flaky =
        event -> {
          if (event.equals(RESULT) && failures.getAndDecrement() > 0)
            throw new IllegalStateException("store: connection reset");
          stored.add(event);
        };
    try (EventWriter writer =
        new EventWriter(flaky, "turn", NEVER, stops::incrementAndGet, Duration.ofMillis(1))) {
      writer.emit(text("a", "m1"));
      writer.emit(RESULT);
      writer.emit(text("b", "m1"));
      writer.flush();
      assertThat(writer.storeFailed()).isFalse();
    }
    assertThat(stored).containsExactly(text("a", "m1"), RESULT, text("b", "m1"));
    assertThat(stops).hasValue(0);
  }

  @Test
  void aStoreThatKeepsFailingStopsTheTurnOnceAndStoresNothingAfterTheLostEvent() {
    List<TurnEvent> stored = new CopyOnWriteArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger stops = new AtomicInteger();
    TurnEmitter broken =
        event -> {
          if (event.equals(RESULT)) {
            attempts.incrementAndGet();
            throw new IllegalStateException("store: disk full");
          }
          stored.add(event);
        };
    try (EventWriter writer =
        new EventWriter(broken, "turn", NEVER, stops::incrementAndGet, Duration.ofMillis(1))) {
      writer.emit(text("a", "m1"));
      writer.emit(RESULT);
      writer.flush();
      writer.emit(text("b", "m1"));
      writer.flush();
      assertThat(writer.storeFailed()).isTrue();
    }
    assertThat(attempts).hasValue(StoreRetry.ATTEMPTS);
    assertThat(stops).hasValue(1);
    assertThat(stored).containsExactly(text("a", "m1"));
  }

  @Test
  void aMergedChunkStaysBounded() {
    String big = "x".repeat(EventWriter.MAX_MERGED_CHARS - 1);
    List<TurnEvent> merged =
        EventWriter.merge(List.of(text(big, "m"), text("yy", "m"), text("z", "m")));
    assertThat(merged).containsExactly(text(big, "m"), text("yyz", "m"));
  }
}

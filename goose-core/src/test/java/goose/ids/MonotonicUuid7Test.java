package goose.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class MonotonicUuid7Test {

  /** Text order is the order the stores see ({@code ORDER BY id} on text and uuid columns). */
  private static void assertStrictlyIncreasing(List<String> ids) {
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i)).as("id %d after id %d", i, i - 1).isGreaterThan(ids.get(i - 1));
    }
  }

  @Test
  void idsOfOneMillisecondStrictlyIncrease() {
    MonotonicUuid7 generator = new MonotonicUuid7(() -> 1_700_000_000_000L, new SecureRandom());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) ids.add(generator.next().toString());
    assertStrictlyIncreasing(ids);
    assertThat(new HashSet<>(ids)).hasSize(ids.size());
  }

  @Test
  void carriesVersionVariantAndTheClockMillisecond() {
    long millis = 1_700_000_000_123L;
    UUID id = new MonotonicUuid7(() -> millis, new SecureRandom()).next();
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
    assertThat(Ids.isWellFormed(id.toString())).isTrue();
  }

  @Test
  void aClockThatStepsBackDoesNotReorderIds() {
    long[] clock = {5_000, 5_000, 4_999, 1_000, 5_000, 5_001, 5_001, 2_000, 5_002};
    AtomicLong tick = new AtomicLong();
    MonotonicUuid7 generator =
        new MonotonicUuid7(() -> clock[(int) tick.getAndIncrement()], new SecureRandom());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < clock.length; i++) ids.add(generator.next().toString());
    assertStrictlyIncreasing(ids);
  }

  @Test
  void aCounterThatWouldOverflowMovesToTheNextMillisecond() {
    RandomGenerator allOnes = () -> -1L; // every random draw is its maximum
    MonotonicUuid7 generator = new MonotonicUuid7(() -> 9_000L, allOnes);
    UUID first = generator.next();
    UUID second = generator.next();
    assertThat(first.getMostSignificantBits() >>> 16).isEqualTo(9_000L);
    assertThat(second.getMostSignificantBits() >>> 16).isEqualTo(9_001L);
    // the clock still says 9000: the borrowed millisecond is the base, and its counter (again at
    // its maximum) overflows in turn
    UUID third = generator.next();
    assertThat(third.getMostSignificantBits() >>> 16).isEqualTo(9_002L);
    assertStrictlyIncreasing(List.of(first.toString(), second.toString(), third.toString()));
  }

  @Test
  void concurrentCallersGetUniqueIdsEachInCreationOrder() throws Exception {
    int threads = 8;
    int perThread = 5_000;
    ConcurrentLinkedQueue<List<String>> sequences = new ConcurrentLinkedQueue<>();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      started.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) mine.add(Ids.newId());
                    sequences.add(mine);
                  }));
    }
    for (Thread thread : started) thread.join();
    Set<String> all = new HashSet<>();
    for (List<String> sequence : sequences) {
      assertStrictlyIncreasing(sequence);
      all.addAll(sequence);
    }
    assertThat(sequences).hasSize(threads);
    assertThat(all).hasSize(threads * perThread);
  }
}

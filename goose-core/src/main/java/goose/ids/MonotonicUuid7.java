package goose.ids;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * A UUIDv7 generator whose values strictly increase, per RFC 9562 §6.2 method 2 ("monotonic
 * random"): the 74 bits after the millisecond timestamp are random for the first id of a
 * millisecond and grow by a random step (1 to 2^32) for every further id of the same millisecond,
 * so ids stay unguessable yet ordered. A clock that steps back is ignored (the last timestamp is
 * kept and the counter keeps growing); a counter that would overflow moves on to the next
 * millisecond.
 *
 * <p>Hand-written rather than java-uuid-generator's {@code TimeBasedEpochGenerator} on purpose:
 * that one starts over with fresh random bits when the clock steps back, so two ids in a row can
 * sort backwards — the very thing audit paging must not see. Ordering holds within one process; ids
 * of several instances interleave by millisecond only.
 */
final class MonotonicUuid7 {
  private static final long RAND_B_BITS = 62;
  private static final long RAND_B_LIMIT = 1L << RAND_B_BITS;
  private static final long RAND_A_LIMIT = 1L << 12;
  private static final long MAX_STEP = 1L << 32;

  private final LongSupplier clockMillis;
  private final RandomGenerator random;
  private final ReentrantLock lock = new ReentrantLock();
  private long lastMillis = Long.MIN_VALUE;
  private long randA; // 12 bits: the high part of the per-millisecond counter
  private long randB; // 62 bits: the low part

  MonotonicUuid7(LongSupplier clockMillis, RandomGenerator random) {
    this.clockMillis = clockMillis;
    this.random = random;
  }

  static MonotonicUuid7 systemClock() {
    return new MonotonicUuid7(System::currentTimeMillis, new SecureRandom());
  }

  UUID next() {
    lock.lock();
    try {
      long now = clockMillis.getAsLong() & 0xFFFF_FFFF_FFFFL;
      if (now > lastMillis) {
        reseed(now);
      } else {
        increment();
      }
      long msb = (lastMillis << 16) | 0x7000L | randA; // version 7
      long lsb = Long.MIN_VALUE | randB; // variant 10
      return new UUID(msb, lsb);
    } finally {
      lock.unlock();
    }
  }

  private void reseed(long millis) {
    lastMillis = millis;
    randA = random.nextLong(RAND_A_LIMIT);
    randB = random.nextLong(RAND_B_LIMIT);
  }

  private void increment() {
    randB += 1 + random.nextLong(MAX_STEP);
    if (randB < RAND_B_LIMIT) return;
    randB -= RAND_B_LIMIT;
    randA++;
    if (randA < RAND_A_LIMIT) return;
    reseed(lastMillis + 1); // the millisecond is used up: borrow the next one
  }
}

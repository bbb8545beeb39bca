package goose.agent;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the turns of removed owners between the agent loop's own check points (a long model reply,
 * a long tool call, an approval wait): every {@link #INTERVAL}, one store read per owner with a
 * running turn. Nothing runs when every owner exists ({@link TurnOwners#ANY}).
 */
final class OwnerSweep implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OwnerSweep.class);

  static final Duration INTERVAL = Duration.ofSeconds(2);

  private final Optional<ScheduledExecutorService> executor;

  private OwnerSweep(Optional<ScheduledExecutorService> executor) {
    this.executor = executor;
  }

  static OwnerSweep start(TurnOwners owners, Supplier<Collection<RunningTurn>> running) {
    if (owners == TurnOwners.ANY) return new OwnerSweep(Optional.empty());
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("turn-owner-sweep").factory());
    ScheduledFuture<?> unused = // never fails: sweep catches
        executor.scheduleWithFixedDelay(
            () -> sweep(owners, running.get()),
            INTERVAL.toMillis(),
            INTERVAL.toMillis(),
            TimeUnit.MILLISECONDS);
    return new OwnerSweep(Optional.of(executor));
  }

  /** Stops the running turns whose owner no longer exists. */
  private static void sweep(TurnOwners owners, Collection<RunningTurn> running) {
    try {
      Map<String, List<RunningTurn>> byOwner =
          running.stream().collect(Collectors.groupingBy(RunningTurn::owner));
      byOwner.forEach(
          (owner, turns) -> {
            if (owners.exists(owner)) return;
            for (RunningTurn t : turns) {
              if (t.control().isOwnerRemoved()) continue;
              log.info("stopping turn {}: its user {} was removed", t.id(), owner);
              t.control().ownerRemoved();
            }
          });
    } catch (RuntimeException e) { // the next sweep tries again; the loop's own checks go on
      log.warn("cannot check the owners of the running turns: {}", e.toString());
    }
  }

  @Override
  public void close() {
    executor.ifPresent(ScheduledExecutorService::shutdownNow);
  }
}

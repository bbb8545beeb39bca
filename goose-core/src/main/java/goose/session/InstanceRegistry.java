package goose.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The server instances sharing one store (table {@code instances}, migration V5): who holds which
 * instance id, and when each was last seen. An instance id names one live process at a time, so
 * that leases, signals and logs keyed by it cannot mix two processes up.
 */
public interface InstanceRegistry {

  /** One registration; {@code bootId} is random per process. */
  record Instance(
      String id, String bootId, String host, long pid, Instant startedAt, Instant lastSeen) {}

  /**
   * Registers {@code me}, taking over a registration of the same id last seen before {@code
   * staleBefore} (its process died). Empty when registered; else the live instance that holds the
   * id.
   */
  Optional<Instance> register(Instance me, Instant staleBefore);

  /**
   * Marks the instance seen at {@code now}; false when its id is no longer registered to {@code
   * bootId} (another process took it over).
   */
  boolean heartbeat(String id, String bootId, Instant now);

  /** Removes the registration, if it is still this process's. */
  void deregister(String id, String bootId);

  /** Every registration, live or not, by id. */
  List<Instance> all();
}

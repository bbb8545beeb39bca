package goose.session;

import java.time.Duration;
import java.util.Objects;

/**
 * Who runs a turn and how long that claim holds without renewal, from the moment the store writes
 * it and by the store's clock (PostgreSQL's, one for every instance; never the clock of the host
 * that asks: hosts' clocks differ). An instance renews the leases of its turns with a heartbeat; a
 * turn whose lease has passed belongs to a dead instance and any other instance may take it over
 * ({@link SessionStore#takeOver}). A negative {@code length} records a lease that has already
 * lapsed.
 */
public record TurnLease(String instanceId, Duration length) implements LeaseGrant {
  public TurnLease {
    Objects.requireNonNull(instanceId);
    Objects.requireNonNull(length);
  }

  /** This lease as it is: made before the write. */
  @Override
  public TurnLease grant() {
    return this;
  }
}

package goose.session;

import java.time.Instant;
import java.util.Objects;

/**
 * Who runs a turn and until when that claim holds without renewal. An instance renews the leases of
 * its turns with a heartbeat; a turn whose lease has passed belongs to a dead instance and any
 * other instance may take it over ({@link SessionStore#takeOver}).
 */
public record TurnLease(String instanceId, Instant until) implements LeaseGrant {
  public TurnLease {
    Objects.requireNonNull(instanceId);
    Objects.requireNonNull(until);
  }

  /** This lease as it is: made before the write. */
  @Override
  public TurnLease grant() {
    return this;
  }
}

package goose.agent;

import java.util.Optional;

/**
 * The lease a turn runs under, as the turn checks it before it acts outside the store: before a
 * tool call runs and before it takes an approval's decision ({@link ToolExecutor}, {@link
 * ApprovalGate}). The store's writes are fenced by {@link FencedSessionStore}; a tool's side
 * effects are not writes to the store, so they are fenced here. {@link TurnLeases#hold} puts the
 * fence of each turn it holds on the turn's {@link TurnControl}; a turn without leases ({@link
 * TurnLeases#none()}) has {@link #NONE}.
 */
interface TurnFence {
  /** No leases: a single process owns the store, and its turns always hold. */
  TurnFence NONE =
      new TurnFence() {
        @Override
        public boolean holds() {
          return true;
        }

        @Override
        public void check() {}

        @Override
        public LeaseLostException lost() {
          throw new IllegalStateException("a turn without a lease cannot lose it");
        }

        @Override
        public String instanceId() {
          return "local";
        }

        @Override
        public Optional<String> leasedTurnId() {
          return Optional.empty();
        }
      };

  /** True while this instance surely still holds the turn's lease (by its monotonic clock). */
  boolean holds();

  /** Throws {@link LeaseLostException} once the turn no longer {@link #holds()}. */
  void check();

  /**
   * The store says the turn is no longer this instance's (a claim the lease should have allowed
   * failed): marks it lost here too, as the heartbeat would, and returns the exception to throw.
   */
  LeaseLostException lost();

  /** The instance that runs the turn (and claims its approvals). */
  String instanceId();

  /** The turn whose lease a claim must still hold in the store; empty without leases. */
  Optional<String> leasedTurnId();
}

package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.event.EventLog;
import goose.event.TurnEvent;
import goose.ids.Ids;
import goose.json.Json;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.session.TestPostgres;
import goose.session.TurnLease;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Turn leases on a real PostgreSQL shared by several (simulated) instances: renewal, takeover,
 * fencing, remote cancel.
 */
class TurnLeasesTest {
  private static final Duration LEASE = Duration.ofSeconds(1);
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();

  SessionStore store;
  EventLog events;
  Session session;

  @BeforeEach
  void open() {
    store = SessionStores.openPostgres(postgres.newDatabaseUrl());
    events = new EventLog(store);
    session = store.create(new NewSession("alice", "leased", Path.of("/tmp")));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private TurnLeases instance(String id) {
    return TurnLeases.shared(store, id, LEASE);
  }

  /** Starts a turn of {@code owner} the way TurnService does; returns its id. */
  private String startTurn(TurnLeases owner, TurnControl control) {
    String turnId = Ids.newId();
    Optional<TurnLeases.Stamp> lease = owner.newLease();
    store.startTurn(
        session.id(), turnId, Optional.empty(), events.lastSeq(session.id()) + 1, lease);
    owner.hold(session.id(), turnId, control, lease.orElseThrow().madeNanos());
    return turnId;
  }

  @Test
  void aTurnOfADeadInstanceIsTakenOverByExactlyOneSurvivorAndClosed() throws Exception {
    String turnId = Ids.newId();
    store.startTurn(
        session.id(),
        turnId,
        Optional.empty(),
        1,
        Optional.of(new TurnLease("dead", Duration.ofMillis(-1))));
    store.appendMessage(session.id(), Message.user("run it"));
    store.appendMessage(
        session.id(),
        Message.assistant(
            List.of(
                new Content.ToolRequest(
                    "call-1",
                    "developer__shell",
                    Json.MAPPER.createObjectNode().put("command", "sleep 100"))),
            TokenUsage.ZERO));
    TurnLeases b = instance("b");
    TurnLeases c = instance("c");
    b.start(new TurnRecovery(store, events));
    c.start(new TurnRecovery(store, events));
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  store.eventsAfter(session.id(), 0, 100).stream()
                      .anyMatch(e -> e.event() instanceof TurnEvent.MessageComplete));
      // more heartbeats of both, for a whole lease: the turn is closed once, and stays so
      await()
          .during(LEASE)
          .atMost(LEASE.multipliedBy(3))
          .untilAsserted(
              () ->
                  assertThat(store.eventsAfter(session.id(), 0, 100))
                      .extracting(e -> e.event().getClass().getSimpleName())
                      .containsExactly("Error", "MessageComplete"));
      assertThat(store.runningTurn(session.id())).isEmpty();
      Message answer = store.conversation(session.id()).getLast();
      assertThat(answer.content())
          .singleElement()
          .isInstanceOfSatisfying(
              Content.ToolResponse.class,
              r -> {
                assertThat(r.id()).isEqualTo("call-1");
                assertThat(r.isError()).isTrue();
              });
    } finally {
      b.close();
      c.close();
    }
  }

  @Test
  void aRenewedLeaseIsNeitherLostNorTakenOver() throws Exception {
    TurnLeases a = instance("a");
    TurnLeases b = instance("b");
    b.start(new TurnRecovery(store, events));
    a.start(new TurnRecovery(store, events));
    try {
      TurnControl control = new TurnControl();
      String turnId = startTurn(a, control);
      // for three leases, through renewals and b's look-outs, a holds its turn all along
      await()
          .during(LEASE.multipliedBy(3))
          .atMost(LEASE.multipliedBy(5))
          .untilAsserted(
              () -> {
                assertThat(a.holds(session.id())).isTrue();
                assertThat(store.runningTurn(session.id()))
                    .hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(turnId));
                assertThat(control.isCancelled()).isFalse();
              });
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void aTakerWhoseClockRunsAheadDoesNotTakeOverAHealthyTurn() throws Exception {
    // The review's case: C's clock three leases ahead of A's; A renews its lease all along.
    assertNoTakeOver(Clock.systemUTC(), skewed(LEASE.multipliedBy(3)));
  }

  @Test
  void theHeartbeatMeasuresHowFarTheHostClockIsFromTheDatabases() {
    TurnLeases ahead = TurnLeases.shared(store, "c", LEASE, skewed(Duration.ofSeconds(3)));
    TurnLeases inStep = TurnLeases.shared(store, "a", LEASE, Clock.systemUTC());
    ahead.beat();
    inStep.beat();
    assertThat(ahead.clockSkew().orElseThrow())
        .isBetween(Duration.ofMillis(2500), Duration.ofMillis(3500));
    assertThat(inStep.clockSkew().orElseThrow().abs()).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void anOwnerWhoseClockRunsBehindKeepsItsTurn() throws Exception {
    assertNoTakeOver(skewed(LEASE.multipliedBy(-3)), Clock.systemUTC());
  }

  private static Clock skewed(Duration by) {
    return Clock.offset(Clock.systemUTC(), by);
  }

  /**
   * A turn of an owner on {@code ownerClock} that renews its lease is never taken over by an
   * instance on {@code takerClock}: the leases are compared by the database's clock, not by either
   * host's.
   */
  private void assertNoTakeOver(Clock ownerClock, Clock takerClock) throws Exception {
    TurnLeases a = TurnLeases.shared(store, "a", LEASE, ownerClock);
    TurnLeases c = TurnLeases.shared(store, "c", LEASE, takerClock);
    List<String> takenOver = new java.util.concurrent.CopyOnWriteArrayList<>();
    a.start(new TurnRecovery(store, events));
    c.start((turn, made) -> takenOver.add(turn.id()));
    try {
      TurnControl control = new TurnControl();
      String turnId = startTurn(a, control);
      await()
          .during(LEASE.multipliedBy(3))
          .atMost(LEASE.multipliedBy(5))
          .untilAsserted(
              () -> {
                assertThat(takenOver).as("turns C took over").isEmpty();
                assertThat(a.holds(session.id())).isTrue();
                assertThat(control.isCancelled()).isFalse();
                assertThat(store.runningTurn(session.id()))
                    .hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(turnId));
              });
    } finally {
      a.close();
      c.close();
    }
  }

  @Test
  void aTurnWhoseLeaseLapsedWritesNothingMore() throws Exception {
    TurnLeases a =
        instance("a"); // its heartbeat never runs: a process frozen, or cut off from the database
    startTurn(a, new TurnControl());
    SessionStore fenced = a.fence(store);
    fenced.appendMessage(session.id(), Message.user("while the lease holds"));

    await().atMost(LEASE.multipliedBy(10)).until(() -> !a.holds(session.id()));

    assertThatThrownBy(() -> fenced.appendMessage(session.id(), Message.user("too late")))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("lost its lease");
    assertThatThrownBy(() -> fenced.addUsage(session.id(), new TokenUsage(1, 1)))
        .isInstanceOf(LeaseLostException.class);
    assertThat(store.conversation(session.id()))
        .extracting(Message::text)
        .containsExactly("while the lease holds");
  }

  @Test
  void aTurnThatFoundItsLeaseLapsedStaysStoppedWhenALateRenewalComesThrough() throws Exception {
    TurnLeases a = instance("a"); // its heartbeat is late: a store too busy to renew in time
    startTurn(a, new TurnControl());
    SessionStore fenced = a.fence(store);
    await().atMost(LEASE.multipliedBy(10)).until(() -> !a.holds(session.id()));
    assertThatThrownBy(() -> fenced.appendMessage(session.id(), Message.user("too late")))
        .isInstanceOf(LeaseLostException.class);

    a.beat(); // the late renewal: the store's lease is this process's again

    // The turn dropped a write: going on would record a turn with a hole (and perhaps without
    // its message_complete). It stays stopped; the lapse of its lease closes it.
    assertThat(a.holds(session.id())).isFalse();
    assertThatThrownBy(() -> fenced.appendMessage(session.id(), Message.user("after renewal")))
        .isInstanceOf(LeaseLostException.class);
    assertThat(store.conversation(session.id())).isEmpty();
  }

  @Test
  void aProcessReusingTheIdOfADeadOneDoesNotKeepTheDeadOnesTurnAlive() throws Exception {
    String deadTurn = startTurn(instance("a"), new TurnControl()); // then the process dies
    TurnLeases reborn = instance("a"); // a new process with the same instance id
    Session other = store.create(new NewSession("alice", "other", Path.of("/tmp")));
    long made = System.nanoTime();
    String ownTurn = Ids.newId();
    store.startTurn(other.id(), ownTurn, Optional.empty(), 1, reborn.newLease());
    reborn.hold(other.id(), ownTurn, new TurnControl(), made);
    await()
        .atMost(LEASE.multipliedBy(10))
        .until(() -> store.expiredTurns().stream().anyMatch(t -> t.id().equals(deadTurn)));
    reborn.beat();
    assertThat(store.expiredTurns())
        .extracting(goose.session.Turn::id)
        .as("the dead turn lapses; the reborn process's own turn is renewed")
        .contains(deadTurn)
        .doesNotContain(ownTurn);
  }

  @Test
  void theEndOfAnEarlierRunOfATurnLeavesTheHoldOfItsLaterRunHere() {
    // A run of a turn stalled; this process's own recovery took it over and resumes it as a second
    // run (its own control) before the first run released its hold.
    TurnLeases a = instance("a");
    TurnControl first = new TurnControl();
    String turnId = startTurn(a, first);
    TurnControl second = new TurnControl();
    a.hold(session.id(), turnId, second, System.nanoTime());

    a.release(session.id(), first);
    second.fence().check(); // the second run may still run tools: its hold is still here
    a.release(session.id(), second);
    assertThatThrownBy(() -> second.fence().check()).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void aTurnWhoseWriteWaitedLongerThanTheLeaseStartsWithItsWholeLease() throws Exception {
    TurnLeases a = instance("a");
    Optional<TurnLeases.Stamp> lease = a.newLease();
    // The slow write under test: on SQLite the turn's row can wait behind thousands of queued
    // event writes, longer than a lease lasts. The lease is made when the row is written.
    Thread.sleep(LEASE.toMillis() + 200);
    String turnId = Ids.newId();
    store.startTurn(session.id(), turnId, Optional.empty(), 1, lease);
    a.hold(session.id(), turnId, new TurnControl(), lease.orElseThrow().madeNanos());

    assertThat(a.holds(session.id())).as("the turn may write").isTrue();
    assertThat(store.expiredTurns())
        .extracting(goose.session.Turn::id)
        .as("nobody else may take it over")
        .doesNotContain(turnId);
  }

  @Test
  void anOwnerWhoseTurnWasTakenOverNoticesAtItsNextHeartbeatAndStops() {
    TurnLeases a = instance("a");
    TurnControl control = new TurnControl();
    String turnId = startTurn(a, control);
    // A paused for longer than its lease (its lease lapsed), and another instance took the turn.
    store.renewLeases("a", List.of(turnId), Duration.ofSeconds(-1));
    assertThat(store.takeOver(turnId, new TurnLease("b", Duration.ofSeconds(60)))).isTrue();

    a.beat();

    assertThat(control.isCancelled()).isTrue();
    assertThat(a.holds(session.id())).isFalse();
  }

  @Test
  void aCancelAskedOnAnotherInstanceReachesTheOwnerWithItsHeartbeat() {
    TurnLeases a = instance("a");
    TurnControl control = new TurnControl();
    startTurn(a, control);

    assertThat(store.requestCancel(session.id())).isTrue();
    a.beat();

    assertThat(control.isCancelled()).isTrue();
    assertThat(a.holds(session.id())).isTrue(); // cancelled, not fenced: it records its own end
  }

  @Test
  void concurrentTakeOversOfOneExpiredTurnHaveOneWinner() throws Exception {
    String turnId = Ids.newId();
    store.startTurn(
        session.id(),
        turnId,
        Optional.empty(),
        1,
        Optional.of(new TurnLease("dead", Duration.ofSeconds(-1))));
    List<CompletableFuture<Boolean>> takers =
        List.of("b", "c", "d", "e").stream()
            .map(
                id ->
                    CompletableFuture.supplyAsync(
                        () -> store.takeOver(turnId, new TurnLease(id, Duration.ofSeconds(5)))))
            .toList();
    assertThat(takers.stream().map(CompletableFuture::join).filter(won -> won).count())
        .isEqualTo(1);
    assertThat(store.expiredTurns()).isEmpty();
  }

  @Test
  void aStoppingInstanceGivesUpTheLeasesItStillHoldsAndAnotherTakesThemOverAtOnce()
      throws Exception {
    Duration longLease = Duration.ofMinutes(2);
    TurnLeases a = TurnLeases.shared(store, "a", longLease);
    TurnControl control = new TurnControl();
    String turnId = startTurn(a, control);
    a.close(); // e.g. a turn a stop suspended while it waited for a tool approval
    assertThat(a.holds(session.id())).as("fenced at once").isFalse();

    TurnLeases b = TurnLeases.shared(store, "b", longLease);
    CompletableFuture<String> taken = new CompletableFuture<>();
    b.start((turn, made) -> taken.complete(turn.id()));
    try {
      // Long before the two-minute lease could lapse: its first heartbeat takes the turn over.
      assertThat(taken.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(turnId);
    } finally {
      b.close();
    }
  }
}

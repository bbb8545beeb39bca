package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.approval.ApprovalDecision;
import goose.approval.ApprovalMode;
import goose.approval.ApprovalSettings;
import goose.approval.ApprovalStore;
import goose.approval.Approvals;
import goose.approval.PendingApproval;
import goose.conversation.Content;
import goose.event.ClusterSignals;
import goose.event.EventLog;
import goose.event.TurnEvent;
import goose.json.Json;
import goose.provider.ProviderEvent;
import goose.provider.StopReason;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.session.TestPostgres;
import goose.session.Turn;
import goose.session.TurnLease;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An approved tool call runs at most once across instances (review s14, F2): two turn services on
 * one PostgreSQL store, A's turn waits for an approval, A is frozen (or judged gone) longer than
 * its lease, B takes the turn over and resumes it, the approval is answered on B and B runs the
 * call; when A comes back and finds the decision, it runs nothing and its turn stops. The tool
 * appends the name of the instance that ran it to a marker file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApprovedCallTakeoverTest {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();

  @TempDir Path dir;
  SessionStore store;
  Session session;
  Path marker;
  final ScriptedProvider provider = new ScriptedProvider();
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void open() {
    store = SessionStores.openPostgres(postgres.newDatabaseUrl());
    session = store.create(new NewSession("alice", "approve", dir));
    session = store.setMode("alice", session.id(), Optional.of(ApprovalMode.APPROVE)).orElseThrow();
    marker = dir.resolve("ran.txt");
    provider
        .reply(
            new ProviderEvent.ToolCall("call_1", "marker__append", Json.object()),
            new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(new ProviderEvent.TextDelta("done"), new ProviderEvent.Stop(StopReason.END_TURN));
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
    store.close();
  }

  /** One instance on the shared store: its leases, approvals and turn service. */
  record Instance(String id, TurnLeases leases, Approvals approvals, TurnService turns) {}

  Instance instance(String id, Duration lease, ApprovalStore approvalStore) {
    TurnLeases leases = TurnLeases.shared(store, id, lease);
    Approvals approvals =
        new Approvals(
            approvalStore, new ApprovalSettings(ApprovalMode.APPROVE, Duration.ofSeconds(60)));
    Agent agent =
        new Agent(
            leases.fence(store),
            markerTool(id),
            new SystemPrompt(dir.resolve("config-" + id)),
            AgentOptions.DEFAULTS,
            SessionStores.audit(store));
    TurnService turns =
        new TurnService(
            store,
            new EventLog(store),
            agent,
            ProviderSource.of(() -> provider),
            ApprovalGate.factory(approvals),
            TurnLimits.NONE,
            leases,
            ClusterSignals.IN_PROCESS);
    closing.add(turns); // closes the leases too
    return new Instance(id, leases, approvals, turns);
  }

  /** marker__append: appends the instance's name to the marker file, the call's side effect. */
  Toolbox markerTool(String instanceId) {
    return new Toolbox() {
      @Override
      public List<ToolSpec> tools(ToolContext context) {
        return List.of(
            new ToolSpec(
                "marker__append",
                "appends a line",
                (com.fasterxml.jackson.databind.node.ObjectNode)
                    Json.parse("{\"type\":\"object\"}"),
                false));
      }

      @Override
      public Content.ToolResponse call(ToolContext context, Content.ToolRequest request) {
        try {
          Files.writeString(
              marker, instanceId + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return new Content.ToolResponse(
            request.id(), List.of(new Content.Text("ran on " + instanceId)), false);
      }
    };
  }

  List<String> runs() throws IOException {
    return Files.exists(marker) ? Files.readAllLines(marker) : List.of();
  }

  @Test
  void aFrozenOwnerThatWakesAfterTheTakeoverDoesNotRunTheCallTheNewOwnerRan() throws Exception {
    FreezingApprovals frozenStore = new FreezingApprovals(SessionStores.approvals(store));
    Instance a = instance("a", Duration.ofSeconds(2), frozenStore);
    // A's heartbeat never runs, and its approval poll freezes at its first read of the store:
    // the process stopped (SIGSTOP, a GC pause) right after it asked for the approval.
    a.turns.start("alice", session.id(), List.of(new Content.Text("append")), Optional.empty());
    assertThat(frozenStore.frozen.await(20, TimeUnit.SECONDS))
        .as("A waits for its answer")
        .isTrue();

    Instance b = instance("b", Duration.ofSeconds(2), SessionStores.approvals(store));
    EventLog bEvents = new EventLog(store);
    TurnRecovery recovery = new TurnRecovery(store, bEvents, b.approvals.store());
    b.leases.start(
        (turn, made) -> {
          for (TurnRecovery.SuspendedTurn s : recovery.recover(List.of(turn)))
            if (!b.turns.resume(s, made)) recovery.interrupt(s.turn());
        });
    // A's lease lapses; B takes the turn over and resumes it, waiting for the same approval.
    await().atMost(Duration.ofSeconds(30)).until(() -> b.turns.isRunning(session.id()));
    assertThat(b.approvals.answer("alice", session.id(), "call_1", ApprovalDecision.ALLOW_ONCE))
        .isEqualTo(Approvals.Answer.ANSWERED);
    await().atMost(Duration.ofSeconds(30)).until(() -> !b.turns.isRunning(session.id()));
    assertThat(runs()).containsExactly("b");

    frozenStore.thaw.countDown(); // A wakes up: its poll finds the decision in the store
    await().atMost(Duration.ofSeconds(30)).until(() -> !a.turns.isRunning(session.id()));

    assertThat(runs()).as("the approved call ran once, on B").containsExactly("b");
    assertRanOnceAndEnded();
  }

  @Test
  void anOwnerWhoseTurnWasTakenOverBehindItsBackFailsToClaimTheApprovalAndRunsNothing()
      throws Exception {
    // A's lease looks valid to A for a minute: only the store's fenced claim can stop it (B judged
    // the lease lapsed: a clock that jumped, a partition that healed).
    Instance a = instance("a", Duration.ofMinutes(1), SessionStores.approvals(store));
    a.turns.start("alice", session.id(), List.of(new Content.Text("append")), Optional.empty());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !a.approvals.store().openIn(session.id()).isEmpty());
    Turn turn = store.runningTurn(session.id()).orElseThrow();

    Instance b = instance("b", Duration.ofMinutes(1), SessionStores.approvals(store));
    long made = System.nanoTime();
    // The store sees A's lease lapsed (its clock stepped on, a partition): A does not.
    assertThat(store.renewLeases("a", List.of(turn.id()), Duration.ofSeconds(-1))).hasSize(1);
    assertThat(store.takeOver(turn.id(), new TurnLease("b", Duration.ofMinutes(1)))).isTrue();
    TurnRecovery recovery = new TurnRecovery(store, new EventLog(store), b.approvals.store());
    List<TurnRecovery.SuspendedTurn> suspended = recovery.recover(List.of(turn));
    assertThat(suspended).hasSize(1);
    assertThat(b.turns.resume(suspended.getFirst(), made)).isTrue();

    // Answered on B; A sees the decision too (its poll re-reads the store every 2 s).
    assertThat(b.approvals.answer("alice", session.id(), "call_1", ApprovalDecision.ALLOW_ONCE))
        .isEqualTo(Approvals.Answer.ANSWERED);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !a.turns.isRunning(session.id()) && !b.turns.isRunning(session.id()));

    assertThat(runs()).as("the approved call ran once, on B").containsExactly("b");
    assertRanOnceAndEnded();
  }

  /** One response to the call, B's, and B's turn ended normally. */
  private void assertRanOnceAndEnded() {
    List<Content.ToolResponse> responses =
        store.conversation(session.id()).stream()
            .flatMap(m -> m.content().stream())
            .filter(Content.ToolResponse.class::isInstance)
            .map(Content.ToolResponse.class::cast)
            .toList();
    assertThat(responses)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.isError()).isFalse();
              assertThat(r.content()).containsExactly(new Content.Text("ran on b"));
            });
    assertThat(store.conversation(session.id()).getLast().text()).isEqualTo("done");
    assertThat(store.runningTurn(session.id())).isEmpty();
    assertThat(store.eventsAfter(session.id(), 0, 500))
        .filteredOn(e -> e.event() instanceof TurnEvent.MessageComplete)
        .singleElement()
        .satisfies(
            e ->
                assertThat(((TurnEvent.MessageComplete) e.event()).stopReason())
                    .isEqualTo("end_turn"));
    assertThat(SessionStores.approvals(store).get(session.id(), "call_1"))
        .map(PendingApproval::decision)
        .contains(Optional.of(ApprovalDecision.ALLOW_ONCE));
  }

  /**
   * The approvals of a process that freezes at its first read of an approval (the poll of the
   * waiting turn) until {@link #thaw}.
   */
  static final class FreezingApprovals implements ApprovalStore {
    final ApprovalStore store;
    final CountDownLatch frozen = new CountDownLatch(1);
    final CountDownLatch thaw = new CountDownLatch(1);

    FreezingApprovals(ApprovalStore store) {
      this.store = store;
    }

    @Override
    public Optional<PendingApproval> get(String sessionId, String callId) {
      frozen.countDown();
      try {
        if (!thaw.await(50, TimeUnit.SECONDS)) throw new AssertionError("never thawed");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return store.get(sessionId, callId);
    }

    @Override
    public void open(PendingApproval approval) {
      store.open(approval);
    }

    @Override
    public List<PendingApproval> openIn(String sessionId) {
      return store.openIn(sessionId);
    }

    @Override
    public boolean decide(
        String sessionId, String callId, String callHash, ApprovalDecision decision) {
      return store.decide(sessionId, callId, callHash, decision);
    }

    @Override
    public void reopen(PendingApproval approval) {
      store.reopen(approval);
    }

    @Override
    public boolean claim(
        String sessionId,
        String callId,
        String callHash,
        String instanceId,
        Optional<String> leasedTurnId) {
      return store.claim(sessionId, callId, callHash, instanceId, leasedTurnId);
    }

    @Override
    public void alwaysAllow(String user, String tool) {
      store.alwaysAllow(user, tool);
    }

    @Override
    public boolean isAlwaysAllowed(String user, String tool) {
      return store.isAlwaysAllowed(user, tool);
    }
  }
}

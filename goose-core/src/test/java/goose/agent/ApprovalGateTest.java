package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.approval.ApprovalDecision;
import goose.approval.ApprovalMode;
import goose.approval.ApprovalSettings;
import goose.approval.Approvals;
import goose.approval.AuditEntry;
import goose.approval.AuditLog;
import goose.approval.AuditQuery;
import goose.approval.PendingApproval;
import goose.approval.ToolDecision;
import goose.config.Config;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.event.EventLog;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.json.Json;
import goose.provider.ProviderEvent;
import goose.provider.StopReason;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.session.SqliteTemplate;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool approval in the agent loop, against a real SQLite store: the gate of each mode, answers, the
 * timeout, cancellation, and a turn suspended by a stop and resumed by a new turn service.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApprovalGateTest {
  @TempDir Path dir;
  SessionStore store;
  EventLog events;
  AuditLog audit;
  Session session;
  ScriptedProvider provider;
  final List<String> ran = new CopyOnWriteArrayList<>();

  /** calc__add (writes nothing but does not say so) and calc__peek (declares readOnlyHint). */
  final Toolbox calc =
      new Toolbox() {
        @Override
        public List<ToolSpec> tools(ToolContext context) {
          return List.of(
              new ToolSpec("calc__add", "adds", args("{\"type\":\"object\"}"), false),
              new ToolSpec("calc__peek", "reads", args("{\"type\":\"object\"}"), true));
        }

        @Override
        public Content.ToolResponse call(ToolContext context, Content.ToolRequest request) {
          ran.add(request.name());
          return new Content.ToolResponse(
              request.id(), List.of(new Content.Text("ran " + request.name())), false);
        }
      };

  @BeforeEach
  void open() {
    store =
        SessionStores.open(
            SqliteTemplate.placeFor(Config.load(Map.of("GOOSE_PATH_ROOT", dir.toString()), dir)));
    events = new EventLog(store);
    audit = SessionStores.audit(store);
    session = store.create(new NewSession("alice", "test", dir));
    provider = new ScriptedProvider();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static ObjectNode args(String json) {
    return (ObjectNode) Json.parse(json);
  }

  Approvals approvals(Duration timeout) {
    return new Approvals(
        SessionStores.approvals(store), new ApprovalSettings(ApprovalMode.AUTO, timeout));
  }

  TurnService service(Approvals approvals) {
    Agent agent =
        new Agent(
            store, calc, new SystemPrompt(dir.resolve("config")), AgentOptions.DEFAULTS, audit);
    return new TurnService(store, events, agent, () -> provider, ApprovalGate.factory(approvals));
  }

  void mode(ApprovalMode mode) {
    session = store.setMode("alice", session.id(), Optional.of(mode)).orElseThrow();
  }

  void scriptToolThenText(String tool, String callId) {
    provider
        .reply(
            new ProviderEvent.ToolCall(
                callId, tool, args("{\"a\":2,\"api_key\":\"sk-live-1234567890abcdef\"}")),
            new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(new ProviderEvent.TextDelta("done"), new ProviderEvent.Stop(StopReason.END_TURN));
  }

  /** Reads a session's events as they come. */
  final class Follower implements AutoCloseable {
    final EventLog.Subscription sub;
    final List<TurnEvent> seen = new ArrayList<>();

    Follower(long afterSeq) {
      sub = events.subscribe(session.id(), afterSeq);
    }

    <T extends TurnEvent> T until(Class<T> type) throws InterruptedException {
      while (true) {
        StoredEvent e =
            sub.next(Duration.ofSeconds(10))
                .orElseThrow(
                    () -> new AssertionError("no " + type.getSimpleName() + "; seen " + seen));
        seen.add(e.event());
        if (type.isInstance(e.event())) return type.cast(e.event());
      }
    }

    @Override
    public void close() {
      sub.close();
    }
  }

  Follower start(TurnService turns, String text) {
    TurnService.StartedTurn started =
        turns.start("alice", session.id(), List.of(new Content.Text(text)), Optional.empty());
    return new Follower(started.firstSeq() - 1);
  }

  static Content.ToolResponse lastToolResponse(List<Message> conversation) {
    return conversation.stream()
        .flatMap(m -> m.content().stream())
        .filter(Content.ToolResponse.class::isInstance)
        .map(Content.ToolResponse.class::cast)
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  List<AuditEntry> auditEntries() {
    return audit
        .list(new AuditQuery(100, Optional.empty(), Optional.empty(), Optional.empty()))
        .entries();
  }

  @Test
  void approveAsksAndAllowOnceRunsTheCall() throws Exception {
    Approvals approvals = approvals(Duration.ofSeconds(60));
    mode(ApprovalMode.APPROVE);
    scriptToolThenText("calc__add", "call_1");
    try (Follower f = start(service(approvals), "add")) {
      TurnEvent.ToolApprovalRequired asked = f.until(TurnEvent.ToolApprovalRequired.class);
      assertThat(asked.id()).isEqualTo("call_1");
      assertThat(asked.tool()).isEqualTo("calc__add");
      assertThat(ran).isEmpty();
      assertThat(approvals.store().openIn(session.id()))
          .extracting(PendingApproval::callId)
          .containsExactly("call_1");

      assertThat(approvals.answer("bob", session.id(), "call_1", ApprovalDecision.ALLOW_ONCE))
          .isEqualTo(Approvals.Answer.UNKNOWN);
      assertThat(approvals.answer("alice", session.id(), "call_1", ApprovalDecision.ALLOW_ONCE))
          .isEqualTo(Approvals.Answer.ANSWERED);
      assertThat(approvals.answer("alice", session.id(), "call_1", ApprovalDecision.DENY))
          .isEqualTo(Approvals.Answer.ALREADY_DECIDED);
      assertThat(f.until(TurnEvent.ToolResult.class).status()).isEqualTo("success");
      assertThat(f.until(TurnEvent.MessageComplete.class).stopReason()).isEqualTo("end_turn");
    }
    assertThat(ran).containsExactly("calc__add");
    assertThat(auditEntries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.decision()).isEqualTo(ToolDecision.ALLOWED_ONCE);
              assertThat(e.outcome()).isEqualTo("success");
              assertThat(e.user()).isEqualTo("alice");
              assertThat(e.arguments().get("api_key").asText()).isEqualTo("[REDACTED]");
              assertThat(e.arguments().get("a").asInt()).isEqualTo(2);
            });
  }

  @Test
  void aDeniedCallIsAnErrorResultTheModelSees() throws Exception {
    Approvals approvals = approvals(Duration.ofSeconds(60));
    mode(ApprovalMode.APPROVE);
    scriptToolThenText("calc__add", "call_1");
    try (Follower f = start(service(approvals), "add")) {
      f.until(TurnEvent.ToolApprovalRequired.class);
      approvals.answer("alice", session.id(), "call_1", ApprovalDecision.DENY);
      assertThat(f.until(TurnEvent.ToolResult.class).status()).isEqualTo("error");
      f.until(TurnEvent.MessageComplete.class);
    }
    assertThat(ran).isEmpty();
    Content.ToolResponse sent =
        (Content.ToolResponse) provider.requests.get(1).messages().getLast().content().getFirst();
    assertThat(sent.isError()).isTrue();
    assertThat(sent.text()).contains("denied by the user");
    assertThat(auditEntries())
        .singleElement()
        .extracting(AuditEntry::decision, AuditEntry::outcome)
        .containsExactly(ToolDecision.DENIED, "error");
  }

  @Test
  void noAnswerWithinTheTimeoutCountsAsDeny() throws Exception {
    Approvals approvals = approvals(Duration.ofMillis(600));
    mode(ApprovalMode.APPROVE);
    scriptToolThenText("calc__add", "call_1");
    try (Follower f = start(service(approvals), "add")) {
      f.until(TurnEvent.ToolApprovalRequired.class);
      assertThat(f.until(TurnEvent.ToolResult.class).status()).isEqualTo("error");
      f.until(TurnEvent.MessageComplete.class);
    }
    assertThat(ran).isEmpty();
    assertThat(lastToolResponse(store.conversation(session.id())).text())
        .contains("no approval arrived in time");
    assertThat(approvals.store().get(session.id(), "call_1").orElseThrow().decision())
        .contains(ApprovalDecision.EXPIRED);
    assertThat(approvals.answer("alice", session.id(), "call_1", ApprovalDecision.ALLOW_ONCE))
        .isEqualTo(Approvals.Answer.ALREADY_DECIDED);
    assertThat(auditEntries())
        .singleElement()
        .extracting(AuditEntry::decision)
        .isEqualTo(ToolDecision.TIMEOUT);
  }

  @Test
  void alwaysAllowIsRememberedForTheNextCallOfTheSameTool() throws Exception {
    Approvals approvals = approvals(Duration.ofSeconds(60));
    mode(ApprovalMode.APPROVE);
    TurnService turns = service(approvals);
    scriptToolThenText("calc__add", "call_1");
    try (Follower f = start(turns, "add")) {
      f.until(TurnEvent.ToolApprovalRequired.class);
      approvals.answer("alice", session.id(), "call_1", ApprovalDecision.ALWAYS_ALLOW);
      f.until(TurnEvent.MessageComplete.class);
    }
    scriptToolThenText("calc__add", "call_2");
    try (Follower f = start(turns, "again")) {
      f.until(TurnEvent.MessageComplete.class);
      assertThat(f.seen).noneMatch(TurnEvent.ToolApprovalRequired.class::isInstance);
    }
    assertThat(ran).containsExactly("calc__add", "calc__add");
    assertThat(auditEntries())
        .extracting(AuditEntry::decision)
        .containsExactly(ToolDecision.ALWAYS_ALLOWED, ToolDecision.ALWAYS_ALLOWED);
  }

  @Test
  void smartApproveRunsReadOnlyToolsAndAsksForTheRest() throws Exception {
    Approvals approvals = approvals(Duration.ofSeconds(60));
    mode(ApprovalMode.SMART_APPROVE);
    provider
        .reply(
            new ProviderEvent.ToolCall("p1", "calc__peek", args("{}")),
            new ProviderEvent.ToolCall("a1", "calc__add", args("{}")),
            new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(new ProviderEvent.TextDelta("ok"), new ProviderEvent.Stop(StopReason.END_TURN));
    try (Follower f = start(service(approvals), "go")) {
      TurnEvent.ToolApprovalRequired asked = f.until(TurnEvent.ToolApprovalRequired.class);
      assertThat(asked.tool()).isEqualTo("calc__add");
      approvals.answer("alice", session.id(), "a1", ApprovalDecision.ALLOW_ONCE);
      f.until(TurnEvent.MessageComplete.class);
      assertThat(f.seen).filteredOn(TurnEvent.ToolApprovalRequired.class::isInstance).hasSize(1);
    }
    assertThat(ran).containsExactlyInAnyOrder("calc__peek", "calc__add");
    assertThat(auditEntries())
        .extracting(AuditEntry::tool, AuditEntry::decision)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("calc__peek", ToolDecision.AUTO),
            org.assertj.core.groups.Tuple.tuple("calc__add", ToolDecision.ALLOWED_ONCE));
  }

  @Test
  void chatModeOffersNoToolsAndRefusesACallAnyway() throws Exception {
    mode(ApprovalMode.CHAT);
    scriptToolThenText("calc__add", "call_1");
    try (Follower f = start(service(approvals(Duration.ofSeconds(60))), "hi")) {
      f.until(TurnEvent.MessageComplete.class);
    }
    assertThat(provider.requests.getFirst().tools()).isEmpty();
    assertThat(ran).isEmpty();
    assertThat(lastToolResponse(store.conversation(session.id())).isError()).isTrue();
  }

  @Test
  void autoModeFollowsTheServerDefaultAndNeverAsks() throws Exception {
    scriptToolThenText("calc__add", "call_1");
    try (Follower f = start(service(approvals(Duration.ofSeconds(60))), "hi")) {
      f.until(TurnEvent.MessageComplete.class);
      assertThat(f.seen).noneMatch(TurnEvent.ToolApprovalRequired.class::isInstance);
    }
    assertThat(ran).containsExactly("calc__add");
    assertThat(provider.requests.getFirst().tools())
        .extracting(ToolSpec::name)
        .containsExactly("calc__add", "calc__peek");
    assertThat(auditEntries())
        .singleElement()
        .extracting(AuditEntry::decision)
        .isEqualTo(ToolDecision.AUTO);
  }

  @Test
  void cancellingTheTurnEndsTheWaitAndClosesTheApproval() throws Exception {
    Approvals approvals = approvals(Duration.ofSeconds(60));
    mode(ApprovalMode.APPROVE);
    scriptToolThenText("calc__add", "call_1");
    TurnService turns = service(approvals);
    try (Follower f = start(turns, "add")) {
      f.until(TurnEvent.ToolApprovalRequired.class);
      assertThat(turns.cancel("alice", session.id())).isTrue();
      assertThat(f.until(TurnEvent.MessageComplete.class).stopReason()).isEqualTo("cancelled");
    }
    assertThat(ran).isEmpty();
    assertThat(approvals.store().get(session.id(), "call_1").orElseThrow().decision())
        .contains(ApprovalDecision.CANCELLED);
    assertThat(approvals.answer("alice", session.id(), "call_1", ApprovalDecision.ALLOW_ONCE))
        .isEqualTo(Approvals.Answer.ALREADY_DECIDED);
  }

  @Test
  void aStopSuspendsAWaitingTurnAndTheNextServiceResumesItWhenAnswered() throws Exception {
    Approvals before = approvals(Duration.ofSeconds(60));
    mode(ApprovalMode.APPROVE);
    scriptToolThenText("calc__add", "call_1");
    TurnService first = service(before);
    long firstSeq;
    try (Follower f = start(first, "add")) {
      f.until(TurnEvent.ToolApprovalRequired.class);
      firstSeq = f.sub.lastDelivered();
    }
    first.shutdown(Duration.ofSeconds(5));
    assertThat(first.runningCount()).isZero();
    assertThat(store.runningTurns()).hasSize(1);
    assertThat(events.lastSeq(session.id()))
        .isEqualTo(firstSeq); // no message_complete: the turn is not over

    Approvals after = approvals(Duration.ofSeconds(60));
    TurnRecovery recovery = new TurnRecovery(store, events, after.store());
    List<TurnRecovery.SuspendedTurn> suspended = recovery.recover(store.runningTurns());
    assertThat(suspended)
        .singleElement()
        .extracting(TurnRecovery.SuspendedTurn::owner)
        .isEqualTo("alice");
    TurnService second = service(after);
    assertThat(second.resume(suspended.getFirst())).isTrue();

    try (Follower f = new Follower(firstSeq)) {
      assertThat(after.answer("alice", session.id(), "call_1", ApprovalDecision.ALLOW_ONCE))
          .isEqualTo(Approvals.Answer.ANSWERED);
      assertThat(f.until(TurnEvent.ToolResult.class).status()).isEqualTo("success");
      assertThat(f.until(TurnEvent.MessageComplete.class).stopReason()).isEqualTo("end_turn");
      assertThat(f.seen)
          .noneMatch(TurnEvent.ToolCall.class::isInstance); // announced once, before the stop
    }
    assertThat(ran).containsExactly("calc__add");
    assertThat(store.runningTurns()).isEmpty();
    assertThat(provider.requests).hasSize(2);
    assertThat(lastToolResponse(store.conversation(session.id())).text())
        .isEqualTo("ran calc__add");
  }

  /**
   * Stops {@code first} while its turn waits, recovers with a fresh Approvals, returns the
   * suspended turn.
   */
  TurnRecovery.SuspendedTurn stopAndRecover(TurnService first, Approvals after) {
    first.shutdown(Duration.ofSeconds(5));
    List<TurnRecovery.SuspendedTurn> suspended =
        new TurnRecovery(store, events, after.store()).recover(store.runningTurns());
    assertThat(suspended).hasSize(1);
    return suspended.getFirst();
  }

  @Test
  void anAnswerThatArrivesBeforeTheResumedTurnWaitsIsTaken() throws Exception {
    mode(ApprovalMode.APPROVE);
    scriptToolThenText("calc__add", "call_1");
    TurnService first = service(approvals(Duration.ofSeconds(60)));
    long firstSeq;
    try (Follower f = start(first, "add")) {
      f.until(TurnEvent.ToolApprovalRequired.class);
      firstSeq = f.sub.lastDelivered();
    }
    Approvals after = approvals(Duration.ofSeconds(60));
    TurnRecovery.SuspendedTurn suspended = stopAndRecover(first, after);
    assertThat(after.answer("alice", session.id(), "call_1", ApprovalDecision.DENY))
        .isEqualTo(Approvals.Answer.ANSWERED);
    assertThat(service(after).resume(suspended)).isTrue();
    try (Follower f = new Follower(firstSeq)) {
      assertThat(f.until(TurnEvent.ToolResult.class).status()).isEqualTo("error");
      f.until(TurnEvent.MessageComplete.class);
    }
    assertThat(ran).isEmpty();
    assertThat(lastToolResponse(store.conversation(session.id())).text())
        .contains("denied by the user");
  }

  @Test
  void aResumedTurnNeverRunsAgainACallThatWasNotWaitingForItsApproval() throws Exception {
    mode(ApprovalMode.SMART_APPROVE);
    provider
        .reply(
            new ProviderEvent.ToolCall("p1", "calc__peek", args("{}")),
            new ProviderEvent.ToolCall("a1", "calc__add", args("{}")),
            new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(new ProviderEvent.TextDelta("ok"), new ProviderEvent.Stop(StopReason.END_TURN));
    TurnService first = service(approvals(Duration.ofSeconds(60)));
    long firstSeq;
    try (Follower f = start(first, "go")) {
      f.until(TurnEvent.ToolApprovalRequired.class);
      while (f.seen.stream().noneMatch(TurnEvent.ToolResult.class::isInstance))
        f.until(TurnEvent.ToolResult.class);
      firstSeq = f.sub.lastDelivered();
    }
    Approvals after = approvals(Duration.ofSeconds(60));
    TurnRecovery.SuspendedTurn suspended = stopAndRecover(first, after);
    assertThat(suspended.awaitedCallIds()).containsExactly("a1");
    assertThat(service(after).resume(suspended)).isTrue();
    try (Follower f = new Follower(firstSeq)) {
      after.answer("alice", session.id(), "a1", ApprovalDecision.ALLOW_ONCE);
      f.until(TurnEvent.MessageComplete.class);
    }
    assertThat(ran).containsExactly("calc__peek", "calc__add");
    List<Content.ToolResponse> sent =
        provider.requests.get(1).messages().getLast().content().stream()
            .map(Content.ToolResponse.class::cast)
            .toList();
    assertThat(sent).extracting(Content.ToolResponse::id).containsExactly("p1", "a1");
    assertThat(sent.get(0).text()).contains("interrupted");
    assertThat(sent.get(1).text()).isEqualTo("ran calc__add");
  }

  @Test
  void recoveryWithoutAnOpenApprovalClosesTheTurnAsBefore() throws Exception {
    store.startTurn(session.id(), "turn-crashed", Optional.empty(), 1);
    store.appendMessage(session.id(), Message.user("do it"));
    TurnRecovery recovery =
        new TurnRecovery(store, events, approvals(Duration.ofSeconds(60)).store());
    assertThat(recovery.recover(store.runningTurns())).isEmpty();
    assertThat(store.runningTurns()).isEmpty();
    assertThat(store.eventsAfter(session.id(), 0, 10))
        .extracting(e -> e.event().eventName())
        .containsExactly("turn_error", "message_complete");
  }
}

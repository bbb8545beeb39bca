package goose.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.approval.ApprovalDecision;
import goose.approval.ApprovalMode;
import goose.approval.ApprovalStore;
import goose.approval.AuditEntry;
import goose.approval.AuditLog;
import goose.approval.AuditPage;
import goose.approval.AuditQuery;
import goose.approval.CallHash;
import goose.approval.PendingApproval;
import goose.approval.ToolDecision;
import goose.ids.Ids;
import goose.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tool approvals (and the claim of an allowed call, V31), always-allow permissions, session modes
 * and the audit (migration V3) on SQLite and on a real PostgreSQL.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApprovalAndAuditStoreTest {
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();

  @TempDir Path dir;
  SessionStore store;

  @AfterEach
  void close() {
    if (store != null) store.close();
  }

  SessionStore open(String database) throws Exception {
    if (database.equals("sqlite")) {
      Files.createDirectories(dir.resolve("db"));
      return SessionStores.openSqlite(dir.resolve("db/sessions.db"));
    }
    return SessionStores.openPostgres(postgres.newDatabaseUrl());
  }

  static final String LS = CallHash.of("developer__shell", Json.object().put("command", "ls"));

  static PendingApproval pending(Session s, String callId, String user) {
    return pending(s, callId, user, Json.object().put("command", "ls"));
  }

  static PendingApproval pending(
      Session s, String callId, String user, com.fasterxml.jackson.databind.node.ObjectNode args) {
    Instant now = Instant.now();
    return new PendingApproval(
        s.id(),
        callId,
        CallHash.of("developer__shell", args),
        user,
        "developer__shell",
        args,
        now,
        now.plusSeconds(60),
        Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void reopenReplacesTheApprovalOfAnotherCallUnderTheSameId(String database) throws Exception {
    store = open(database);
    ApprovalStore approvals = SessionStores.approvals(store);
    Session s = store.create(new NewSession("alice", "s", dir));
    approvals.open(pending(s, "call_1", "alice"));
    assertThat(approvals.decide(s.id(), "call_1", LS, ApprovalDecision.ALLOW_ONCE)).isTrue();
    var rm = Json.object().put("command", "rm -rf /");
    PendingApproval other = pending(s, "call_1", "alice", rm);
    approvals.reopen(other);
    PendingApproval stored = approvals.get(s.id(), "call_1").orElseThrow();
    assertThat(stored.isOpen()).as("the allow_once of the other call is gone").isTrue();
    assertThat(stored.isFor("developer__shell", rm)).isTrue();
    assertThat(stored.isFor("developer__shell", Json.object().put("command", "ls"))).isFalse();
    assertThat(approvals.decide(s.id(), "call_1", LS, ApprovalDecision.ALLOW_ONCE))
        .as("an answer for the call shown before")
        .isFalse();
    approvals.reopen(other);
    assertThat(approvals.openIn(s.id())).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void anApprovalIsDecidedExactlyOnceAndLeavesTheOpenList(String database) throws Exception {
    store = open(database);
    ApprovalStore approvals = SessionStores.approvals(store);
    Session s = store.create(new NewSession("alice", "s", dir));
    approvals.open(pending(s, "call_1", "alice"));
    approvals.open(pending(s, "call_2", "alice"));

    assertThat(approvals.openIn(s.id()))
        .extracting(PendingApproval::callId)
        .containsExactly("call_1", "call_2");
    assertThat(approvals.get(s.id(), "call_1"))
        .get()
        .satisfies(
            a -> {
              assertThat(a.isOpen()).isTrue();
              assertThat(a.arguments().get("command").asText()).isEqualTo("ls");
              assertThat(a.expiresAt()).isAfter(a.createdAt());
            });
    assertThatThrownBy(() -> approvals.open(pending(s, "call_1", "alice")))
        .isInstanceOf(IllegalStateException.class);

    assertThat(approvals.decide(s.id(), "call_2", "another-hash", ApprovalDecision.ALLOW_ONCE))
        .as("a decision for another call under this id")
        .isFalse();
    assertThat(approvals.decide(s.id(), "call_1", LS, ApprovalDecision.DENY)).isTrue();
    assertThat(approvals.decide(s.id(), "call_1", LS, ApprovalDecision.ALLOW_ONCE)).isFalse();
    assertThat(approvals.decide(s.id(), "no-such-call", LS, ApprovalDecision.ALLOW_ONCE)).isFalse();
    assertThat(approvals.get(s.id(), "call_1").orElseThrow().decision())
        .contains(ApprovalDecision.DENY);
    assertThat(approvals.openIn(s.id()))
        .extracting(PendingApproval::callId)
        .containsExactly("call_2");

    // A model that reuses call ids: the decided approval makes room for the new one.
    approvals.open(pending(s, "call_1", "alice"));
    assertThat(approvals.get(s.id(), "call_1").orElseThrow().isOpen()).isTrue();

    Session deleted = store.create(new NewSession("alice", "gone", dir));
    store.delete("alice", deleted.id());
    assertThatThrownBy(() -> approvals.open(pending(deleted, "c", "alice")))
        .as("an approval for a session that is no longer stored")
        .isInstanceOf(SessionNotFoundException.class);
    store.delete("alice", s.id());
    assertThat(approvals.get(s.id(), "call_2")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void anAllowedCallIsClaimedOnceAndOnlyUnderItsTurnsLease(String database) throws Exception {
    store = open(database);
    ApprovalStore approvals = SessionStores.approvals(store);
    Session s = store.create(new NewSession("alice", "s", dir));
    String turn = Ids.newId();
    Duration minute = Duration.ofMinutes(1);
    store.startTurn(s.id(), turn, Optional.empty(), 1, Optional.of(new TurnLease("a", minute)));
    approvals.open(pending(s, "call_1", "alice"));
    Optional<String> leased = Optional.of(turn);

    assertThat(approvals.claim(s.id(), "call_1", LS, "a", leased))
        .as("an open approval is not claimed")
        .isFalse();
    assertThat(approvals.decide(s.id(), "call_1", LS, ApprovalDecision.ALLOW_ONCE)).isTrue();
    assertThat(approvals.claim(s.id(), "call_1", "another-hash", "a", leased)).isFalse();
    assertThat(approvals.claim(s.id(), "call_1", LS, "b", leased))
        .as("an instance that does not hold the turn's lease")
        .isFalse();
    assertThat(approvals.claim(s.id(), "call_1", LS, "a", Optional.of("other-turn"))).isFalse();
    // a's lease lapses (by the store's clock, as the leases are written)
    assertThat(store.renewLeases("a", List.of(turn), Duration.ofSeconds(-1))).hasSize(1);
    assertThat(approvals.claim(s.id(), "call_1", LS, "a", leased))
        .as("a lease that lapsed")
        .isFalse();

    // b takes the turn over (a was frozen longer than its lease): a's claim fails from now on
    assertThat(store.takeOver(turn, new TurnLease("b", minute))).isTrue();
    assertThat(approvals.claim(s.id(), "call_1", LS, "a", leased)).isFalse();
    assertThat(approvals.claim(s.id(), "call_1", LS, "b", leased)).isTrue();
    assertThat(approvals.claim(s.id(), "call_1", LS, "b", leased))
        .as("claimed once: the call runs once")
        .isFalse();
    assertThat(approvals.get(s.id(), "call_1").orElseThrow().decision())
        .contains(ApprovalDecision.ALLOW_ONCE);

    // A denied call is never claimed; without leases (one process on the store) a claim needs no
    // turn, and still succeeds once.
    approvals.open(pending(s, "call_2", "alice"));
    approvals.decide(s.id(), "call_2", LS, ApprovalDecision.DENY);
    assertThat(approvals.claim(s.id(), "call_2", LS, "local", Optional.empty())).isFalse();
    approvals.open(pending(s, "call_3", "alice"));
    approvals.decide(s.id(), "call_3", LS, ApprovalDecision.ALWAYS_ALLOW);
    assertThat(approvals.claim(s.id(), "call_3", LS, "local", Optional.empty())).isTrue();
    assertThat(approvals.claim(s.id(), "call_3", LS, "local", Optional.empty())).isFalse();

    // A model that reuses the call id: the new approval is unclaimed.
    approvals.open(pending(s, "call_3", "alice"));
    approvals.decide(s.id(), "call_3", LS, ApprovalDecision.ALLOW_ONCE);
    assertThat(approvals.claim(s.id(), "call_3", LS, "local", Optional.empty())).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void alwaysAllowIsPerUserAndToolAndIdempotent(String database) throws Exception {
    store = open(database);
    ApprovalStore approvals = SessionStores.approvals(store);
    approvals.alwaysAllow("alice", "developer__shell");
    approvals.alwaysAllow("alice", "developer__shell");
    assertThat(approvals.isAlwaysAllowed("alice", "developer__shell")).isTrue();
    assertThat(approvals.isAlwaysAllowed("alice", "developer__text_editor")).isFalse();
    assertThat(approvals.isAlwaysAllowed("bob", "developer__shell")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aSessionModeIsStoredPerOwner(String database) throws Exception {
    store = open(database);
    Session s = store.create(new NewSession("alice", "s", dir));
    assertThat(s.mode()).isEmpty();
    assertThat(store.setMode("bob", s.id(), Optional.of(ApprovalMode.CHAT))).isEmpty();
    assertThat(
            store
                .setMode("alice", s.id(), Optional.of(ApprovalMode.SMART_APPROVE))
                .orElseThrow()
                .mode())
        .contains(ApprovalMode.SMART_APPROVE);
    assertThat(store.get("alice", s.id()).orElseThrow().mode())
        .contains(ApprovalMode.SMART_APPROVE);
    assertThat(
            store
                .list("alice", new SessionQuery(10, Optional.empty(), Optional.empty()))
                .items()
                .getFirst()
                .mode())
        .contains(ApprovalMode.SMART_APPROVE);
    assertThat(store.setMode("alice", s.id(), Optional.empty()).orElseThrow().mode()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void theAuditPagesNewestFirstAndFiltersByUserAndSession(String database) throws Exception {
    store = open(database);
    AuditLog audit = SessionStores.audit(store);
    List<AuditEntry> written = new ArrayList<>();
    ToolDecision[] decisions = ToolDecision.values(); // five different ones, in any order
    for (int i = 0; i < 5; i++) {
      AuditEntry e =
          new AuditEntry(
              Ids.newId(),
              Instant.now(),
              i % 2 == 0 ? "alice" : "bob",
              i < 3 ? "s1" : "s2",
              "call_" + i,
              "developer__shell",
              Json.object().put("i", i),
              decisions[i],
              i == 3 ? "error" : "success",
              10L * i);
      audit.record(e);
      written.add(e);
    }

    AuditPage first =
        audit.list(new AuditQuery(2, Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(first.entries()).extracting(AuditEntry::callId).containsExactly("call_4", "call_3");
    AuditPage second =
        audit.list(new AuditQuery(2, first.nextCursor(), Optional.empty(), Optional.empty()));
    assertThat(second.entries()).extracting(AuditEntry::callId).containsExactly("call_2", "call_1");
    AuditPage last =
        audit.list(new AuditQuery(2, second.nextCursor(), Optional.empty(), Optional.empty()));
    assertThat(last.entries()).extracting(AuditEntry::callId).containsExactly("call_0");
    assertThat(last.nextCursor()).isEmpty();
    assertThat(last.entries().getFirst()).isEqualTo(written.getFirst());

    assertThat(
            audit
                .list(new AuditQuery(10, Optional.empty(), Optional.of("alice"), Optional.empty()))
                .entries())
        .extracting(AuditEntry::callId)
        .containsExactly("call_4", "call_2", "call_0");
    assertThat(
            audit
                .list(new AuditQuery(10, Optional.empty(), Optional.of("alice"), Optional.of("s1")))
                .entries())
        .extracting(AuditEntry::callId)
        .containsExactly("call_2", "call_0");
    assertThat(
            audit
                .list(new AuditQuery(10, Optional.empty(), Optional.of("carol"), Optional.empty()))
                .entries())
        .isEmpty();
  }
}

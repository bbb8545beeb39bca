package goose.agent;

import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.session.HeldTurn;
import goose.session.LeaseGrant;
import goose.session.NewSession;
import goose.session.Page;
import goose.session.Session;
import goose.session.SessionContent;
import goose.session.SessionQuery;
import goose.session.SessionStore;
import goose.session.Turn;
import goose.session.TurnLease;
import goose.session.TurnStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The store as the agent loop sees it on a shared database: the writes a turn makes to its session
 * (messages, usage) throw {@link LeaseLostException} once this instance may no longer be the turn's
 * owner, so a turn taken over by another instance stops writing. Everything else passes through.
 */
final class FencedSessionStore implements SessionStore {
  private final SessionStore store;
  private final TurnLeases leases;

  FencedSessionStore(SessionStore store, TurnLeases leases) {
    this.store = store;
    this.leases = leases;
  }

  @Override
  public void appendMessage(String sessionId, Message message) {
    leases.checkHolds(sessionId);
    store.appendMessage(sessionId, message);
  }

  @Override
  public void updateMessage(String sessionId, Message message) {
    leases.checkHolds(sessionId);
    store.updateMessage(sessionId, message);
  }

  @Override
  public void addUsage(String sessionId, TokenUsage usage, OptionalDouble costUsd) {
    leases.checkHolds(sessionId);
    store.addUsage(sessionId, usage, costUsd);
  }

  @Override
  public StoredEvent appendEvent(String sessionId, String turnId, TurnEvent event) {
    leases.checkHolds(sessionId);
    return store.appendEvent(sessionId, turnId, event);
  }

  // ---- reads and turn bookkeeping pass through ----

  @Override
  public Session create(NewSession session) {
    return store.create(session);
  }

  @Override
  public Optional<Session> get(String owner, String id) {
    return store.get(owner, id);
  }

  @Override
  public Page<Session> list(String owner, SessionQuery query) {
    return store.list(owner, query);
  }

  @Override
  public Optional<Session> rename(String owner, String id, String name) {
    return store.rename(owner, id, name);
  }

  @Override
  public boolean setTitle(String sessionId, String title) {
    return store.setTitle(sessionId, title);
  }

  @Override
  public Optional<Session> setModel(
      String owner, String id, Optional<String> provider, Optional<String> model) {
    return store.setModel(owner, id, provider, model);
  }

  @Override
  public Optional<Session> setMode(
      String owner, String id, Optional<goose.approval.ApprovalMode> mode) {
    return store.setMode(owner, id, mode);
  }

  @Override
  public boolean delete(String owner, String id) {
    return store.delete(owner, id);
  }

  @Override
  public List<Message> messages(String sessionId, Optional<String> afterId, int limit) {
    return store.messages(sessionId, afterId, limit);
  }

  @Override
  public List<Message> conversation(String sessionId) {
    return store.conversation(sessionId);
  }

  @Override
  public List<StoredEvent> eventsAfter(String sessionId, long afterSeq, int limit) {
    return store.eventsAfter(sessionId, afterSeq, limit);
  }

  @Override
  public List<StoredEvent> turnErrors(String sessionId, int limit) {
    return store.turnErrors(sessionId, limit);
  }

  @Override
  public long lastEventSeq(String sessionId) {
    return store.lastEventSeq(sessionId);
  }

  @Override
  public Turn startTurn(
      String sessionId,
      String turnId,
      Optional<String> requestId,
      Optional<String> requestHash,
      long firstSeq,
      Optional<? extends LeaseGrant> lease) {
    return store.startTurn(sessionId, turnId, requestId, requestHash, firstSeq, lease);
  }

  @Override
  public Optional<String> requestHash(String sessionId, String requestId) {
    return store.requestHash(sessionId, requestId);
  }

  @Override
  public Optional<Turn> turnByRequestId(String sessionId, String requestId) {
    return store.turnByRequestId(sessionId, requestId);
  }

  @Override
  public Optional<Turn> runningTurn(String sessionId) {
    return store.runningTurn(sessionId);
  }

  @Override
  public void finishTurn(String sessionId, String turnId, TurnStatus status) {
    store.finishTurn(sessionId, turnId, status);
  }

  @Override
  public Optional<StoredEvent> finishTurn(
      String sessionId,
      String turnId,
      TurnStatus status,
      TurnEvent last,
      Optional<String> leaseHolder) {
    leases.checkHolds(sessionId); // its last event is a write of the turn like any other
    return store.finishTurn(sessionId, turnId, status, last, leaseHolder);
  }

  @Override
  public void abandonTurn(String sessionId, String turnId) {
    store.abandonTurn(sessionId, turnId);
  }

  @Override
  public List<Turn> runningTurns() {
    return store.runningTurns();
  }

  @Override
  public Session createWithContent(NewSession session, SessionContent content) {
    return store.createWithContent(session, content);
  }

  @Override
  public List<HeldTurn> renewLeases(
      String instanceId, java.util.Collection<String> turnIds, java.time.Duration lease) {
    return store.renewLeases(instanceId, turnIds, lease);
  }

  @Override
  public List<Turn> expiredTurns() {
    return store.expiredTurns();
  }

  @Override
  public boolean takeOver(String turnId, TurnLease lease) {
    return store.takeOver(turnId, lease);
  }

  @Override
  public Instant leaseClock() {
    return store.leaseClock();
  }

  @Override
  public boolean requestCancel(String sessionId) {
    return store.requestCancel(sessionId);
  }

  @Override
  public boolean shared() {
    return store.shared();
  }

  @Override
  public java.util.OptionalLong countSessions() {
    return store.countSessions();
  }

  /** The agent does not own the store: closing is the server's job. */
  @Override
  public void close() {}
}

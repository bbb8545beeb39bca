package goose.session;

import goose.approval.ApprovalMode;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.event.EventStore;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Where sessions, their conversations and their event logs live. One interface, several databases
 * (SQLite by default, PostgreSQL for many instances); {@code SessionStoreContract} in the test jar
 * is the behaviour every implementation must pass. Thread-safe; every call is its own transaction.
 *
 * <p>Calls that take an {@code owner} answer as if a session of another user did not exist. Calls
 * that take only a {@code sessionId} are for code that has already checked ownership: a write to a
 * missing session throws {@link SessionNotFoundException}, a read of one answers empty. A database
 * failure is a {@link StoreException}.
 */
public interface SessionStore extends EventStore, AutoCloseable {

  Session create(NewSession session);

  /**
   * Creates a session with its whole content (an import) in one transaction: all or nothing, and
   * invisible to every other call (not listed, no turn can start in it) until it is complete. A
   * failure part way, a message the store cannot keep (a time out of its range), or a crash leaves
   * no session behind. Always a new session with a new id.
   */
  Session createWithContent(NewSession session, SessionContent content);

  Optional<Session> get(String owner, String id);

  Page<Session> list(String owner, SessionQuery query);

  /** Renames; empty when there is no such session for this owner. */
  Optional<Session> rename(String owner, String id, String name);

  /**
   * Sets the session's approval mode (empty: follow the server's); empty when there is no such
   * session for this owner.
   */
  Optional<Session> setMode(String owner, String id, Optional<ApprovalMode> mode);

  /**
   * Sets the session's own provider and model (empty: follow the server's); empty when there is no
   * such session for this owner.
   */
  Optional<Session> setModel(
      String owner, String id, Optional<String> provider, Optional<String> model);

  /**
   * Deletes the session with its messages and events, unless a turn runs in it (on any instance):
   * one statement, so that a turn that starts meanwhile either finds the session gone or keeps it.
   * False when nothing was deleted (no such session, or a running turn: {@link #runningTurn} tells
   * which).
   */
  boolean delete(String owner, String id);

  /** Appends a message; bumps {@code message_count} and {@code updated_at}. */
  void appendMessage(String sessionId, Message message);

  /** Replaces a stored message by id (visibility after compaction, interrupted marks). */
  void updateMessage(String sessionId, Message message);

  /**
   * Messages in conversation order after the message {@code afterId} (from the start when empty),
   * at most {@code limit}; an {@code afterId} that is not in the session throws {@link
   * IllegalArgumentException}.
   */
  List<Message> messages(String sessionId, Optional<String> afterId, int limit);

  /** The whole conversation in order. */
  List<Message> conversation(String sessionId);

  /**
   * Records the usage of one provider call: sets {@code last_usage}, adds to {@code total_usage},
   * and adds its estimated cost (when known) to the session's.
   */
  void addUsage(String sessionId, TokenUsage usage, OptionalDouble costUsd);

  /** {@link #addUsage(String, TokenUsage, OptionalDouble)} without a cost estimate. */
  default void addUsage(String sessionId, TokenUsage usage) {
    addUsage(sessionId, usage, OptionalDouble.empty());
  }

  /**
   * Names the session with a generated title, only while its name is the default ({@link
   * NameSource#DEFAULT}): a name a user gave, even one given while the title was being made, is
   * never replaced. True when the title was written.
   */
  boolean setTitle(String sessionId, String title);

  // Events: appendEvent, eventsAfter and lastEventSeq come from EventStore.

  /**
   * The session's last {@code limit} {@code turn_error} events (also those stored under their old
   * name, {@code error}), oldest first: why its failed turns failed, which the messages do not say.
   */
  List<StoredEvent> turnErrors(String sessionId, int limit);

  /**
   * Records the start of a turn. Throws {@link TurnConflictException} when a turn of this session
   * is already {@code RUNNING} (enforced by the database, so it holds across instances), and {@link
   * IllegalStateException} when {@code requestId} was already used in this session (look it up with
   * {@link #turnByRequestId} first). The lease, if any, is made ({@link LeaseGrant#grant}) inside
   * the write. The turn's {@code firstSeq} is read in that write too, under the session row's lock:
   * the one after the session's last stored event ({@code firstSeq} given is only a lower bound),
   * so a turn that ended meanwhile, with its last event, is wholly before this one.
   */
  default Turn startTurn(
      String sessionId,
      String turnId,
      Optional<String> requestId,
      long firstSeq,
      Optional<? extends LeaseGrant> lease) {
    return startTurn(sessionId, turnId, requestId, Optional.empty(), firstSeq, lease);
  }

  /**
   * {@link #startTurn(String, String, Optional, long, Optional)} that keeps {@code requestHash},
   * what the request asked for, with its request id ({@link #requestHash}).
   */
  Turn startTurn(
      String sessionId,
      String turnId,
      Optional<String> requestId,
      Optional<String> requestHash,
      long firstSeq,
      Optional<? extends LeaseGrant> lease);

  /** The hash kept with the turn of this request id; empty without one (or without such a turn). */
  Optional<String> requestHash(String sessionId, String requestId);

  /**
   * {@link #startTurn(String, String, Optional, long, Optional)} without a lease: only start-up
   * recovery closes it.
   */
  default Turn startTurn(
      String sessionId, String turnId, Optional<String> requestId, long firstSeq) {
    return startTurn(sessionId, turnId, requestId, firstSeq, Optional.empty());
  }

  /**
   * Extends by {@code lease} from now, by the store's clock ({@link #leaseClock}), the lease of
   * those of {@code turnIds} that still run under {@code instanceId}, and answers them: a turn
   * missing from the answer has been taken over by another instance and must stop writing. Only the
   * turns this process runs are named, never "every turn of the instance id": a process that reuses
   * the id of a dead one must not keep the dead one's turns alive. A negative {@code lease} gives
   * the turns up: their leases have lapsed.
   */
  List<HeldTurn> renewLeases(
      String instanceId, java.util.Collection<String> turnIds, java.time.Duration lease);

  /**
   * Running turns whose lease has ended by the store's clock: their instance stopped renewing (it
   * died).
   */
  List<Turn> expiredTurns();

  /**
   * Takes over a running turn whose lease has ended by the store's clock, giving it {@code lease};
   * false when it is no longer running or another instance renewed or took it first (exactly one
   * taker wins).
   */
  boolean takeOver(String turnId, TurnLease lease);

  /**
   * The clock every lease is written and compared by, read now: the database server's on
   * PostgreSQL, so that instances on hosts whose clocks differ agree on when a lease lapses; the
   * host's on SQLite, whose processes all run on one host.
   */
  default Instant leaseClock() {
    return Instant.now();
  }

  /**
   * Marks the session's running turn as to be cancelled by whichever instance runs it; false when
   * none runs.
   */
  boolean requestCancel(String sessionId);

  /**
   * True when instances on several machines may share this store (PostgreSQL): what one instance
   * keeps in its own files (config.yaml) the others cannot see. False for a SQLite file, which the
   * processes of one machine share (a server and {@code goose acp} processes; they coordinate
   * through the store just as instances do, see {@code TurnLeases}).
   */
  default boolean shared() {
    return false;
  }

  Optional<Turn> turnByRequestId(String sessionId, String requestId);

  Optional<Turn> runningTurn(String sessionId);

  /**
   * Ends a running turn with its final status. A turn that has already ended keeps its status (for
   * example one marked interrupted while its instance was presumed dead); an unknown turn throws
   * {@link java.util.NoSuchElementException}.
   */
  void finishTurn(String sessionId, String turnId, TurnStatus status);

  /**
   * Ends a running turn with its final status and appends its last event in the same transaction,
   * so that a turn started after it sees that event before its own first one, and a turn that is no
   * longer running always has its end in the log. With {@code leaseHolder}, only while the turn
   * still runs under that instance's lease (fencing in the store: an owner that woke from a freeze
   * cannot end the turn another instance took over). Empty when the turn had already ended or is
   * held by another instance (its status stays and nothing is appended); an unknown turn throws
   * {@link java.util.NoSuchElementException}.
   */
  Optional<StoredEvent> finishTurn(
      String sessionId,
      String turnId,
      TurnStatus status,
      TurnEvent last,
      Optional<String> leaseHolder);

  /**
   * Removes a running turn that stored nothing (its user message could not be stored): a retry with
   * its request id then starts anew instead of re-attaching to a turn that never ran.
   */
  void abandonTurn(String sessionId, String turnId);

  /** Every turn still marked running (at start-up: turns a crash left behind). */
  List<Turn> runningTurns();

  /**
   * How many sessions are stored, of all users (the sessions gauge of {@code /metrics}). Empty when
   * this store cannot tell; a store that wraps another should delegate.
   */
  default OptionalLong countSessions() {
    return OptionalLong.empty();
  }

  @Override
  void close();
}

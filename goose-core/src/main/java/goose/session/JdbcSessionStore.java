package goose.session;

import static goose.session.StoreRows.EVENT_COLUMNS;
import static goose.session.StoreRows.MESSAGE_COLUMNS;
import static goose.session.StoreRows.SESSION_COLUMNS;
import static goose.session.StoreRows.nanos;

import goose.approval.ApprovalMode;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.event.EventCodec;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.ids.Ids;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SessionStore} on SQLite and PostgreSQL: one set of SQL for both, the differences kept
 * in {@link SqlDialect}. Counters live on the session row and are bumped in the same transaction as
 * the insert they count ({@code UPDATE ... RETURNING}), which also hands out gap-free message
 * ordinals and event sequence numbers: the row lock serialises concurrent appenders of one session.
 *
 * <p>Calls taking only a session id throw {@link SessionNotFoundException} for a write to a session
 * that does not exist, and answer empty for a read; a missing message or turn is a {@link
 * NoSuchElementException}. Open one with {@link SessionStores}.
 */
final class JdbcSessionStore implements SessionStore {
  private final SqlDatabase db;
  private final JdbcTurns turns;
  private final JdbcImports imports;
  private volatile Optional<String> signalEventsAs = Optional.empty();

  JdbcSessionStore(SqlDatabase db) {
    this.db = db;
    this.turns = new JdbcTurns(db);
    this.imports = new JdbcImports(db);
  }

  /**
   * On PostgreSQL: from now on every event insert also sends the other instances its {@link
   * PostgresSignals} notification, inside the insert's own transaction. PostgreSQL delivers it at
   * commit, so a follower elsewhere is woken exactly when the event is readable, and appends need
   * no lock or connection of their own. False (and nothing changes) on SQLite.
   */
  boolean signalEventsAs(String instanceId) {
    if (db.dialect() != SqlDialect.POSTGRESQL) return false;
    signalEventsAs = Optional.of(instanceId);
    return true;
  }

  @Override
  public Session create(NewSession s) {
    Instant now = Instant.now();
    Session session =
        new Session(
            Ids.newId(),
            s.owner(),
            s.name(),
            s.workingDir(),
            now,
            now,
            0,
            TokenUsage.ZERO,
            TokenUsage.ZERO,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            s.nameSource(),
            OptionalDouble.empty());
    write(
        c ->
            Sql.update(
                c,
                "INSERT INTO sessions (id, owner, name, name_folded, working_dir, created_at, updated_at, name_source)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                session.id(),
                session.owner(),
                session.name(),
                StoreRows.fold(session.name()),
                session.workingDir().toString(),
                nanos(now),
                nanos(now),
                session.nameSource().wire()));
    return session;
  }

  @Override
  public Session createWithContent(NewSession session, SessionContent content) {
    return imports.create(session, content);
  }

  @Override
  public Optional<Session> get(String owner, String id) {
    return read(
        c ->
            Sql.first(
                c,
                "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE id = ? AND owner = ?",
                StoreRows::session,
                id,
                owner));
  }

  @Override
  public Page<Session> list(String owner, SessionQuery query) {
    StringBuilder sql =
        new StringBuilder("SELECT " + SESSION_COLUMNS + " FROM sessions WHERE owner = ?");
    List<Object> args = new ArrayList<>(List.of(owner));
    if (query.cursor().isPresent()) {
      ListCursor after = ListCursor.decode(query.cursor().get());
      sql.append(" AND (updated_at, id) < (?, ?)");
      args.add(after.updatedAtNanos());
      args.add(after.id());
    }
    if (query.nameContains().isPresent() && !query.nameContains().get().isEmpty()) {
      sql.append(" AND name_folded LIKE ? ESCAPE '\\'");
      args.add("%" + likeEscaped(StoreRows.fold(query.nameContains().get())) + "%");
    }
    sql.append(" ORDER BY updated_at DESC, id DESC LIMIT ?");
    args.add(query.limit() + 1); // one more than asked tells whether another page follows
    List<Session> rows = read(c -> Sql.all(c, sql.toString(), StoreRows::session, args.toArray()));
    if (rows.size() <= query.limit()) return new Page<>(rows, Optional.empty());
    List<Session> page = rows.subList(0, query.limit());
    return new Page<>(page, Optional.of(ListCursor.after(page.getLast()).encode()));
  }

  @Override
  public Optional<Session> rename(String owner, String id, String name) {
    return write(
        c ->
            Sql.first(
                c,
                "UPDATE sessions SET name = ?, name_folded = ?, name_source = ?, updated_at = ?"
                    + " WHERE id = ? AND owner = ? RETURNING "
                    + SESSION_COLUMNS,
                StoreRows::session,
                name,
                StoreRows.fold(name),
                NameSource.USER.wire(),
                nanos(Instant.now()),
                id,
                owner));
  }

  @Override
  public boolean setTitle(String sessionId, String title) {
    // One statement: a rename by the user in the meantime wins, whatever the order.
    return write(
            c ->
                Sql.update(
                    c,
                    "UPDATE sessions SET name = ?, name_folded = ?, name_source = ?, updated_at = ?"
                        + " WHERE id = ? AND name_source = ?",
                    title,
                    StoreRows.fold(title),
                    NameSource.GENERATED.wire(),
                    nanos(Instant.now()),
                    sessionId,
                    NameSource.DEFAULT.wire()))
        > 0;
  }

  @Override
  public Optional<Session> setMode(String owner, String id, Optional<ApprovalMode> mode) {
    return write(
        c ->
            Sql.first(
                c,
                "UPDATE sessions SET mode = ?, updated_at = ? WHERE id = ? AND owner = ? RETURNING "
                    + SESSION_COLUMNS,
                StoreRows::session,
                mode.map(ApprovalMode::wire).orElse(null),
                nanos(Instant.now()),
                id,
                owner));
  }

  @Override
  public Optional<Session> setModel(
      String owner, String id, Optional<String> provider, Optional<String> model) {
    return write(
        c ->
            Sql.first(
                c,
                "UPDATE sessions SET provider = ?, model = ?, updated_at = ? WHERE id = ? AND owner = ? RETURNING "
                    + SESSION_COLUMNS,
                StoreRows::session,
                provider.orElse(null),
                model.orElse(null),
                nanos(Instant.now()),
                id,
                owner));
  }

  @Override
  public boolean delete(String owner, String id) {
    // messages, events and turns go with it: ON DELETE CASCADE; its todo list (no foreign key) too
    return write(
            c -> {
              int deleted =
                  Sql.update(
                      c,
                      "DELETE FROM sessions WHERE id = ? AND owner = ? AND NOT EXISTS"
                          + " (SELECT 1 FROM turns WHERE session_id = ? AND status = 'running')",
                      id,
                      owner,
                      id);
              if (deleted > 0)
                Sql.update(
                    c, "DELETE FROM todo_lists WHERE owner = ? AND session_id = ?", owner, id);
              return deleted;
            })
        > 0;
  }

  @Override
  public void appendMessage(String sessionId, Message message) {
    String content = StoreRows.contentJson(message);
    write(
        c -> {
          long ordinal =
              bumpCounter(
                  c,
                  "UPDATE sessions SET message_count = message_count + 1, updated_at = ? WHERE id = ? RETURNING message_count",
                  sessionId,
                  nanos(Instant.now()),
                  sessionId);
          try {
            return Sql.update(
                c,
                StoreRows.INSERT_MESSAGE,
                StoreRows.messageRow(sessionId, ordinal, message, content));
          } catch (SQLException e) {
            if (db.dialect().violation(e) != SqlDialect.Violation.UNIQUE) throw e;
            throw new IllegalArgumentException(
                "message " + message.id() + " is already in session " + sessionId, e);
          }
        });
  }

  @Override
  public void updateMessage(String sessionId, Message message) {
    String content = StoreRows.contentJson(message);
    int changed =
        write(
            c ->
                Sql.update(
                    c,
                    "UPDATE messages SET role = ?, created_at = ?, content = ?, user_visible = ?, agent_visible = ?,"
                        + " interrupted = ?, input_tokens = ?, output_tokens = ?, cache_read_tokens = ?,"
                        + " cache_creation_tokens = ? WHERE session_id = ? AND id = ?",
                    updateArgs(message, content, sessionId)));
    if (changed == 0)
      throw new NoSuchElementException("no message " + message.id() + " in session " + sessionId);
  }

  @Override
  public List<Message> messages(String sessionId, Optional<String> afterId, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
    return read(
        c -> {
          long afterOrdinal = 0;
          if (afterId.isPresent()) {
            afterOrdinal =
                Sql.first(
                        c,
                        "SELECT ordinal FROM messages WHERE session_id = ? AND id = ?",
                        rs -> rs.getLong(1),
                        sessionId,
                        afterId.get())
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "no message " + afterId.get() + " in session " + sessionId));
          }
          return Sql.all(
              c,
              "SELECT "
                  + MESSAGE_COLUMNS
                  + " FROM messages WHERE session_id = ? AND ordinal > ?"
                  + " ORDER BY ordinal LIMIT ?",
              StoreRows::message,
              sessionId,
              afterOrdinal,
              limit);
        });
  }

  @Override
  public List<Message> conversation(String sessionId) {
    return read(
        c ->
            Sql.all(
                c,
                "SELECT "
                    + MESSAGE_COLUMNS
                    + " FROM messages WHERE session_id = ? ORDER BY ordinal",
                StoreRows::message,
                sessionId));
  }

  @Override
  public void addUsage(String sessionId, TokenUsage usage, OptionalDouble costUsd) {
    List<Object> args =
        new ArrayList<>(
            List.of(
                usage.inputTokens(),
                usage.outputTokens(),
                usage.cacheReadInputTokens(),
                usage.cacheCreationInputTokens(),
                usage.inputTokens(),
                usage.outputTokens(),
                usage.cacheReadInputTokens(),
                usage.cacheCreationInputTokens()));
    // No null in arithmetic: PostgreSQL cannot type an untyped NULL parameter there.
    String cost = "";
    if (costUsd.isPresent()) {
      cost = ", total_cost_usd = COALESCE(total_cost_usd, 0) + ?";
      args.add(costUsd.getAsDouble());
    }
    args.add(sessionId);
    String sql =
        "UPDATE sessions SET last_input_tokens = ?, last_output_tokens = ?,"
            + " last_cache_read_tokens = ?, last_cache_creation_tokens = ?,"
            + " total_input_tokens = total_input_tokens + ?, total_output_tokens = total_output_tokens + ?,"
            + " total_cache_read_tokens = total_cache_read_tokens + ?,"
            + " total_cache_creation_tokens = total_cache_creation_tokens + ?"
            + cost
            + " WHERE id = ?";
    int changed = write(c -> Sql.update(c, sql, args.toArray()));
    if (changed == 0) throw noSession(sessionId);
  }

  @Override
  public StoredEvent appendEvent(String sessionId, String turnId, TurnEvent event) {
    String data = EventCodec.toJsonText(event); // one pass, no intermediate tree
    Instant now = Instant.now();
    long seq = write(c -> insertEvent(c, sessionId, turnId, now, event, data));
    return new StoredEvent(sessionId, seq, turnId, now, event, data);
  }

  @Override
  public Optional<StoredEvent> finishTurn(
      String sessionId,
      String turnId,
      TurnStatus status,
      TurnEvent last,
      Optional<String> leaseHolder) {
    String data = EventCodec.toJsonText(last);
    Instant now = Instant.now();
    Optional<Long> seq =
        write(
            c -> {
              // The session row first, as a turn's start takes it (then the turn's): the other
              // order let a start and an end on one session deadlock on PostgreSQL.
              JdbcTurns.lockSession(c, sessionId);
              return turns.finishIn(c, sessionId, turnId, status, leaseHolder)
                  ? Optional.of(insertEvent(c, sessionId, turnId, now, last, data))
                  : Optional.empty();
            });
    return seq.map(n -> new StoredEvent(sessionId, n, turnId, now, last, data));
  }

  /** Appends one event in the caller's transaction; returns its sequence number. */
  private long insertEvent(
      Connection c, String sessionId, String turnId, Instant now, TurnEvent event, String data)
      throws SQLException {
    long next =
        bumpCounter(
            c,
            "UPDATE sessions SET last_event_seq = last_event_seq + 1 WHERE id = ? RETURNING last_event_seq",
            sessionId,
            sessionId);
    Sql.update(
        c,
        "INSERT INTO events (session_id, " + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
        sessionId,
        next,
        turnId,
        nanos(now),
        EventCodec.eventName(event),
        data);
    Optional<String> signalAs = signalEventsAs;
    if (signalAs.isPresent()) PostgresSignals.notifyEvent(c, signalAs.get(), sessionId, next);
    return next;
  }

  @Override
  public List<StoredEvent> eventsAfter(String sessionId, long afterSeq, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
    return read(
        c ->
            Sql.all(
                c,
                "SELECT "
                    + EVENT_COLUMNS
                    + " FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                rs -> StoreRows.event(sessionId, rs),
                sessionId,
                afterSeq,
                limit));
  }

  @Override
  public List<StoredEvent> turnErrors(String sessionId, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
    List<StoredEvent> newestFirst =
        read(
            c ->
                Sql.all(
                    c,
                    "SELECT "
                        + EVENT_COLUMNS
                        + " FROM events WHERE session_id = ? AND name IN ('turn_error', 'error')"
                        + " ORDER BY seq DESC LIMIT ?",
                    rs -> StoreRows.event(sessionId, rs),
                    sessionId,
                    limit));
    return newestFirst.reversed();
  }

  @Override
  public long lastEventSeq(String sessionId) {
    return read(c ->
            Sql.first(
                c,
                "SELECT last_event_seq FROM sessions WHERE id = ?",
                rs -> rs.getLong(1),
                sessionId))
        .orElse(0L);
  }

  @Override
  public Turn startTurn(
      String sessionId,
      String turnId,
      Optional<String> requestId,
      Optional<String> requestHash,
      long firstSeq,
      Optional<? extends LeaseGrant> lease) {
    return turns.start(sessionId, turnId, requestId, requestHash, firstSeq, lease);
  }

  @Override
  public Optional<String> requestHash(String sessionId, String requestId) {
    return turns.requestHash(sessionId, requestId);
  }

  @Override
  public Optional<Turn> turnByRequestId(String sessionId, String requestId) {
    return turns.byRequestId(sessionId, requestId);
  }

  @Override
  public Optional<Turn> runningTurn(String sessionId) {
    return turns.running(sessionId);
  }

  @Override
  public void finishTurn(String sessionId, String turnId, TurnStatus status) {
    turns.finish(sessionId, turnId, status);
  }

  @Override
  public void abandonTurn(String sessionId, String turnId) {
    turns.abandon(sessionId, turnId);
  }

  @Override
  public List<HeldTurn> renewLeases(String instanceId, Collection<String> turnIds, Duration lease) {
    return turns.renewLeases(instanceId, turnIds, lease);
  }

  @Override
  public List<Turn> expiredTurns() {
    return turns.expired();
  }

  @Override
  public boolean takeOver(String turnId, TurnLease lease) {
    return turns.takeOver(turnId, lease);
  }

  @Override
  public Instant leaseClock() {
    return turns.now();
  }

  @Override
  public boolean requestCancel(String sessionId) {
    return turns.requestCancel(sessionId);
  }

  @Override
  public boolean shared() {
    return !db.dialect().singleWriter();
  }

  @Override
  public List<Turn> runningTurns() {
    return turns.allRunning();
  }

  @Override
  public OptionalLong countSessions() {
    return OptionalLong.of(
        read(c -> Sql.first(c, "SELECT COUNT(*) FROM sessions", rs -> rs.getLong(1)).orElse(0L)));
  }

  @Override
  public void close() {
    db.close();
  }

  /**
   * The database under this store, for the stores that share it ({@link SessionStores#approvals}).
   */
  SqlDatabase database() {
    return db;
  }

  /** {@link StoreRows#messageFields}, then the session and message ids of the WHERE clause. */
  private static Object[] updateArgs(Message message, String content, String sessionId) {
    int n = StoreRows.MESSAGE_FIELDS;
    Object[] args = java.util.Arrays.copyOf(StoreRows.messageFields(message, content), n + 2);
    args[n] = sessionId;
    args[n + 1] = message.id();
    return args;
  }

  // --- plumbing
  // -------------------------------------------------------------------------------------

  private <T> T read(SqlDatabase.Work<T> work) {
    return Stores.read(db, work);
  }

  private <T> T write(SqlDatabase.Work<T> work) {
    return Stores.write(db, work);
  }

  /**
   * Runs an {@code UPDATE ... RETURNING counter} on one session row; no row means no such session.
   */
  private static long bumpCounter(
      Connection c, String sql, String sessionId, @Nullable Object... args) throws SQLException {
    return Sql.first(c, sql, rs -> rs.getLong(1), args).orElseThrow(() -> noSession(sessionId));
  }

  private static SessionNotFoundException noSession(String sessionId) {
    return new SessionNotFoundException(sessionId);
  }

  /** {@code %}, {@code _} and the escape character itself match literally. */
  private static String likeEscaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}

package goose.session;

import static goose.session.StoreRows.EVENT_COLUMNS;
import static goose.session.StoreRows.SESSION_COLUMNS;
import static goose.session.StoreRows.nanos;

import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.event.EventCodec;
import goose.ids.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A session created whole, in one transaction of a {@link JdbcSessionStore}: the session row with
 * its counters and usage, every message and every event ({@link SessionStore#createWithContent}, an
 * import). Until the commit no other call sees any of it (it is not listed, and a turn cannot start
 * in it); a failure part way, or a crash, leaves nothing. The rows go in batches of prepared
 * inserts: one round trip per {@link #BATCH} rows, not one transaction per row.
 */
final class JdbcImports {
  private static final int BATCH = 500;

  private final SqlDatabase db;

  JdbcImports(SqlDatabase db) {
    this.db = db;
  }

  Session create(NewSession s, SessionContent content) {
    String id = Ids.newId();
    long now = nanos(Instant.now());
    return Stores.write(
        db,
        c -> {
          insertSession(c, id, s, content, now);
          insertMessages(c, id, content);
          insertEvents(c, id, content, now);
          return Sql.first(
                  c,
                  "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE id = ?",
                  StoreRows::session,
                  id)
              .orElseThrow();
        });
  }

  private static void insertSession(
      Connection c, String id, NewSession s, SessionContent content, long now) throws SQLException {
    TokenUsage last = content.lastUsage();
    TokenUsage total = content.totalUsage();
    Sql.update(
        c,
        "INSERT INTO sessions (id, owner, name, name_folded, working_dir, created_at, updated_at,"
            + " name_source, message_count, last_event_seq, last_input_tokens, last_output_tokens,"
            + " last_cache_read_tokens, last_cache_creation_tokens, total_input_tokens,"
            + " total_output_tokens, total_cache_read_tokens, total_cache_creation_tokens,"
            + " total_cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        s.owner(),
        s.name(),
        StoreRows.fold(s.name()),
        s.workingDir().toString(),
        now,
        now,
        s.nameSource().wire(),
        (long) content.messages().size(),
        (long) content.events().size(),
        last.inputTokens(),
        last.outputTokens(),
        last.cacheReadInputTokens(),
        last.cacheCreationInputTokens(),
        total.inputTokens(),
        total.outputTokens(),
        total.cacheReadInputTokens(),
        total.cacheCreationInputTokens(),
        content.totalCostUsd().isPresent() ? content.totalCostUsd().getAsDouble() : null);
  }

  private static void insertMessages(Connection c, String id, SessionContent content)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(StoreRows.INSERT_MESSAGE)) {
      long ordinal = 0;
      for (Message m : content.messages()) {
        Sql.bind(st, StoreRows.messageRow(id, ++ordinal, m, StoreRows.contentJson(m)));
        st.addBatch();
        if (ordinal % BATCH == 0) st.executeBatch();
      }
      st.executeBatch();
    }
  }

  private static void insertEvents(Connection c, String id, SessionContent content, long now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO events (session_id, " + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
      long seq = 0;
      for (SessionContent.Event e : content.events()) {
        Sql.bind(
            st,
            id,
            ++seq,
            e.turnId(),
            now,
            EventCodec.eventName(e.event()),
            EventCodec.toJsonText(e.event()));
        st.addBatch();
        if (seq % BATCH == 0) st.executeBatch();
      }
      st.executeBatch();
    }
  }
}

package goose.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import goose.approval.ApprovalMode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.event.EventCodec;
import goose.event.StoredEvent;
import goose.json.Json;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Rows to records and back: the column lists, times as epoch nanoseconds, content and events as
 * JSON.
 */
final class StoreRows {
  static final String SESSION_COLUMNS =
      "id, owner, name, working_dir, created_at, updated_at, message_count,"
          + " last_input_tokens, last_output_tokens, total_input_tokens, total_output_tokens, mode,"
          + " provider, model, last_cache_read_tokens, last_cache_creation_tokens,"
          + " total_cache_read_tokens, total_cache_creation_tokens, total_cost_usd, name_source";
  static final String MESSAGE_COLUMNS =
      "id, role, created_at, content, user_visible, agent_visible, interrupted, input_tokens, output_tokens,"
          + " cache_read_tokens, cache_creation_tokens";

  /** One message row: {@link #messageRow} gives its values. */
  static final String INSERT_MESSAGE =
      "INSERT INTO messages (session_id, ordinal, "
          + MESSAGE_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String EVENT_COLUMNS = "seq, turn_id, created_at, name, data";
  static final String TURN_COLUMNS = "id, session_id, request_id, status, started_at, first_seq";

  private static final TypeReference<List<Content>> CONTENT_LIST = new TypeReference<>() {};

  /**
   * Made once: {@code writerFor} builds a new writer and looks its serializer up on every call
   * (about 1 % of goosed's CPU at 1,000 concurrent turns, one message write each way a turn).
   */
  private static final ObjectWriter CONTENT_WRITER = Json.MAPPER.writerFor(CONTENT_LIST);

  /** Made once, as {@link #CONTENT_WRITER}. */
  private static final ObjectReader CONTENT_READER = Json.MAPPER.readerFor(CONTENT_LIST);

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private StoreRows() {}

  /**
   * Epoch nanoseconds: exact for every Instant the JVM produces, and a plain sortable integer in
   * SQL.
   */
  static long nanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS_PER_SECOND), t.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("time out of the storable range (1677..2262): " + t, e);
    }
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }

  /** The name as the case-insensitive filter compares it, identical on every database. */
  static String fold(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  static Session session(ResultSet rs) throws SQLException {
    return new Session(
        rs.getString("id"),
        rs.getString("owner"),
        rs.getString("name"),
        Path.of(rs.getString("working_dir")),
        instant(rs.getLong("created_at")),
        instant(rs.getLong("updated_at")),
        rs.getLong("message_count"),
        new TokenUsage(
            rs.getLong("last_input_tokens"),
            rs.getLong("last_output_tokens"),
            rs.getLong("last_cache_read_tokens"),
            rs.getLong("last_cache_creation_tokens")),
        new TokenUsage(
            rs.getLong("total_input_tokens"),
            rs.getLong("total_output_tokens"),
            rs.getLong("total_cache_read_tokens"),
            rs.getLong("total_cache_creation_tokens")),
        Optional.ofNullable(rs.getString("mode")).flatMap(ApprovalMode::parse),
        Optional.ofNullable(rs.getString("provider")),
        Optional.ofNullable(rs.getString("model")),
        NameSource.fromWire(rs.getString("name_source")),
        cost(rs));
  }

  static Message message(ResultSet rs) throws SQLException {
    List<Content> content;
    try {
      content = CONTENT_READER.readValue(rs.getString("content"));
    } catch (JsonProcessingException e) {
      throw new StoreException(
          "stored message " + rs.getString("id") + " has unreadable content", e);
    }
    return new Message(
        rs.getString("id"),
        Role.fromWire(rs.getString("role")),
        instant(rs.getLong("created_at")),
        content,
        rs.getBoolean("user_visible"),
        rs.getBoolean("agent_visible"),
        rs.getBoolean("interrupted"),
        new TokenUsage(
            rs.getLong("input_tokens"),
            rs.getLong("output_tokens"),
            rs.getLong("cache_read_tokens"),
            rs.getLong("cache_creation_tokens")));
  }

  private static OptionalDouble cost(ResultSet rs) throws SQLException {
    double cost = rs.getDouble("total_cost_usd");
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(cost);
  }

  /**
   * The values of {@link #INSERT_MESSAGE} for {@code message} at {@code ordinal}, its parts already
   * written as {@code content} ({@link #contentJson}).
   */
  static Object[] messageRow(String sessionId, long ordinal, Message message, String content) {
    Object[] row = new Object[3 + MESSAGE_FIELDS];
    row[0] = sessionId;
    row[1] = ordinal;
    row[2] = message.id();
    System.arraycopy(messageFields(message, content), 0, row, 3, MESSAGE_FIELDS);
    return row;
  }

  /** How many of {@link #MESSAGE_COLUMNS} follow the id: what an update of a message sets. */
  static final int MESSAGE_FIELDS = 10;

  /**
   * A message's values for the columns of {@link #MESSAGE_COLUMNS} after its id, in that order:
   * role, created_at, content, user_visible, agent_visible, interrupted, and the four token counts.
   */
  static Object[] messageFields(Message message, String content) {
    return new Object[] {
      message.role().wire(),
      nanos(message.createdAt()),
      content,
      message.userVisible(),
      message.agentVisible(),
      message.interrupted(),
      message.usage().inputTokens(),
      message.usage().outputTokens(),
      message.usage().cacheReadInputTokens(),
      message.usage().cacheCreationInputTokens()
    };
  }

  /**
   * The content parts as a JSON array, written as {@code List<Content>} so each part carries its
   * type tag.
   */
  static String contentJson(Message message) {
    try {
      return CONTENT_WRITER.writeValueAsString(message.content());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "message " + message.id() + " has content that is not JSON", e);
    }
  }

  static StoredEvent event(String sessionId, ResultSet rs) throws SQLException {
    return new StoredEvent(
        sessionId,
        rs.getLong("seq"),
        rs.getString("turn_id"),
        instant(rs.getLong("created_at")),
        EventCodec.fromJson(rs.getString("name"), Json.parse(rs.getString("data"))));
  }

  static Turn turn(ResultSet rs) throws SQLException {
    return new Turn(
        rs.getString("id"),
        rs.getString("session_id"),
        Optional.ofNullable(rs.getString("request_id")),
        status(rs.getString("status")),
        instant(rs.getLong("started_at")),
        rs.getLong("first_seq"));
  }

  static String status(TurnStatus status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  static TurnStatus status(String stored) {
    return TurnStatus.valueOf(stored.toUpperCase(Locale.ROOT));
  }
}

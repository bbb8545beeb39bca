package goose.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A session exported as one self-contained JSON document: its metadata, its whole conversation
 * (every message field), and its event log (what a client replays). {@code format} and {@code
 * version} name the layout; a reader refuses a version it does not know rather than guess. Built
 * and checked by {@link SessionTransfer}.
 *
 * @param format always {@link #FORMAT}
 * @param version the layout version, {@link #VERSION} for this one
 */
public record SessionDocument(
    String format,
    int version,
    Optional<Instant> exportedAt,
    SessionInfo session,
    List<Message> messages,
    List<EventEntry> events) {

  public static final String FORMAT = "goosed-session";
  public static final int VERSION = 1;

  public SessionDocument {
    exportedAt = exportedAt == null ? Optional.empty() : exportedAt;
    messages = messages == null ? List.of() : List.copyOf(messages);
    events = events == null ? List.of() : List.copyOf(events);
  }

  /**
   * The session's metadata as it was on the exporting server (its id is informational: import makes
   * a new one).
   */
  public record SessionInfo(
      Optional<String> id,
      String name,
      String workingDir,
      Optional<Instant> createdAt,
      Optional<Instant> updatedAt,
      Optional<TokenUsage> lastUsage,
      Optional<TokenUsage> totalUsage,
      OptionalDouble totalCostUsd) {
    public SessionInfo {
      totalCostUsd = totalCostUsd == null ? OptionalDouble.empty() : totalCostUsd;
      id = id == null ? Optional.empty() : id;
      createdAt = createdAt == null ? Optional.empty() : createdAt;
      updatedAt = updatedAt == null ? Optional.empty() : updatedAt;
      lastUsage = lastUsage == null ? Optional.empty() : lastUsage;
      totalUsage = totalUsage == null ? Optional.empty() : totalUsage;
    }
  }

  /** One event of the log: the SSE event name and data exactly as a client receives them. */
  public record EventEntry(
      long seq, String turnId, Optional<Instant> createdAt, String name, JsonNode data) {
    public EventEntry {
      createdAt = createdAt == null ? Optional.empty() : createdAt;
    }
  }
}

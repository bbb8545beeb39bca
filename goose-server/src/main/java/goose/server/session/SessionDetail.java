package goose.server.session;

import goose.conversation.TokenUsage;
import goose.session.Session;
import java.time.Instant;
import java.util.List;

/** {@code GET /sessions/{id}}: the session with its whole conversation. */
public record SessionDetail(
    String id,
    String name,
    String workingDir,
    Instant createdAt,
    Instant updatedAt,
    long messageCount,
    TokenUsage lastUsage,
    TokenUsage totalUsage,
    List<MessageView> messages) {

  static SessionDetail of(Session s, List<MessageView> messages) {
    return new SessionDetail(s.id(), s.name(), s.workingDir().toString(), s.createdAt(), s.updatedAt(),
        s.messageCount(), s.lastUsage(), s.totalUsage(), messages);
  }
}

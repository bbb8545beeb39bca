package goose.server.session;

import goose.conversation.TokenUsage;
import goose.session.Session;
import java.time.Instant;

/** A session as the API shows it (its owner is implied by the credentials, never shown). */
public record SessionView(
    String id,
    String name,
    String workingDir,
    Instant createdAt,
    Instant updatedAt,
    long messageCount,
    TokenUsage lastUsage,
    TokenUsage totalUsage) {

  static SessionView of(Session s) {
    return new SessionView(s.id(), s.name(), s.workingDir().toString(), s.createdAt(), s.updatedAt(),
        s.messageCount(), s.lastUsage(), s.totalUsage());
  }
}

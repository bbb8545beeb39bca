package goose.session;

import goose.conversation.TokenUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A session's metadata, as stored. Counters are kept on the row (not recomputed for a list).
 * {@code owner} is the user the session belongs to; every lookup is scoped by it.
 */
public record Session(
    String id,
    String owner,
    String name,
    Path workingDir,
    Instant createdAt,
    Instant updatedAt,
    long messageCount,
    TokenUsage lastUsage,
    TokenUsage totalUsage) {
  public Session {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(workingDir, "working_dir");
    Objects.requireNonNull(createdAt, "created_at");
    Objects.requireNonNull(updatedAt, "updated_at");
    lastUsage = lastUsage == null ? TokenUsage.ZERO : lastUsage;
    totalUsage = totalUsage == null ? TokenUsage.ZERO : totalUsage;
  }
}

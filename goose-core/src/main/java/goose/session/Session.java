package goose.session;

import goose.approval.ApprovalMode;
import goose.conversation.TokenUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A session's metadata, as stored. Counters are kept on the row (not recomputed for a list). {@code
 * owner} is the user the session belongs to; every lookup is scoped by it. {@code mode} is the
 * session's own tool approval mode; empty follows the server's {@code GOOSE_MODE}. {@code provider}
 * and {@code model} are the session's own choice; empty follows {@code GOOSE_PROVIDER} / {@code
 * GOOSE_MODEL}.
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
    TokenUsage totalUsage,
    Optional<ApprovalMode> mode,
    Optional<String> provider,
    Optional<String> model) {
  public Session {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(workingDir, "working_dir");
    Objects.requireNonNull(createdAt, "created_at");
    Objects.requireNonNull(updatedAt, "updated_at");
    lastUsage = lastUsage == null ? TokenUsage.ZERO : lastUsage;
    totalUsage = totalUsage == null ? TokenUsage.ZERO : totalUsage;
    mode = mode == null ? Optional.empty() : mode;
    provider = provider == null ? Optional.empty() : provider;
    model = model == null ? Optional.empty() : model;
  }

  /** A session that follows the server's provider and model. */
  public Session(
      String id,
      String owner,
      String name,
      Path workingDir,
      Instant createdAt,
      Instant updatedAt,
      long messageCount,
      TokenUsage lastUsage,
      TokenUsage totalUsage,
      Optional<ApprovalMode> mode) {
    this(
        id,
        owner,
        name,
        workingDir,
        createdAt,
        updatedAt,
        messageCount,
        lastUsage,
        totalUsage,
        mode,
        Optional.empty(),
        Optional.empty());
  }

  /** A session that follows the server's approval mode. */
  public Session(
      String id,
      String owner,
      String name,
      Path workingDir,
      Instant createdAt,
      Instant updatedAt,
      long messageCount,
      TokenUsage lastUsage,
      TokenUsage totalUsage) {
    this(
        id,
        owner,
        name,
        workingDir,
        createdAt,
        updatedAt,
        messageCount,
        lastUsage,
        totalUsage,
        Optional.empty());
  }
}

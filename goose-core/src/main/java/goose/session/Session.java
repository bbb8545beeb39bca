package goose.session;

import goose.approval.ApprovalMode;
import goose.conversation.TokenUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A session's metadata, as stored. Counters are kept on the row (not recomputed for a list). {@code
 * owner} is the user the session belongs to; every lookup is scoped by it. {@code mode} is the
 * session's own tool approval mode; empty follows the server's {@code GOOSE_MODE}. {@code provider}
 * and {@code model} are the session's own choice; empty follows {@code GOOSE_PROVIDER} / {@code
 * GOOSE_MODEL}. {@code nameSource} says whether a generated title may replace the name; {@code
 * totalCostUsd} is the estimated cost of its model calls, empty while none had a price.
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
    Optional<String> model,
    NameSource nameSource,
    OptionalDouble totalCostUsd) {
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
    nameSource = nameSource == null ? NameSource.USER : nameSource;
    totalCostUsd = totalCostUsd == null ? OptionalDouble.empty() : totalCostUsd;
  }

  /** A session named by its user, without a cost estimate. */
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
      Optional<ApprovalMode> mode,
      Optional<String> provider,
      Optional<String> model) {
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
        provider,
        model,
        NameSource.USER,
        OptionalDouble.empty());
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

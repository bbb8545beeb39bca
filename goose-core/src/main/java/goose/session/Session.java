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
    Objects.requireNonNull(lastUsage, "last_usage");
    Objects.requireNonNull(totalUsage, "total_usage");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(nameSource, "name_source");
    Objects.requireNonNull(totalCostUsd, "total_cost_usd");
  }
}

package goose.server.session;

import goose.approval.ApprovalMode;
import goose.conversation.TokenUsage;
import goose.server.http.Doc;
import goose.session.Session;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * What every wire view of a session shows about it: {@link SessionView} and {@link SessionDetail}
 * carry these fields unwrapped ({@code @JsonUnwrapped}: the same flat JSON object, and the same
 * schema, as if each record listed them itself). Not a wire type of its own.
 */
public record SessionFields(
    @Doc("Opaque id (UUIDv7)") String id,
    @Doc("Display name") String name,
    @Doc("Absolute path of the directory the agent works in (symlinks resolved)") String workingDir,
    Instant createdAt,
    Instant updatedAt,
    @Doc("Messages in the conversation") long messageCount,
    @Doc(
            "Tokens of the last provider call; cache_read/cache_creation_input_tokens are the parts of input_tokens read from and written to the provider's prompt cache")
        TokenUsage lastUsage,
    @Doc("Tokens of all provider calls of the session") TokenUsage totalUsage,
    @Doc(
            "Estimated cost of all provider calls of the session in US dollars, from the model price table; absent while no call had a price")
        OptionalDouble totalCostUsd,
    @Doc(
            "Where the name comes from: user (given: never replaced), default (none given yet) or generated (a title made after the first exchange)")
        String nameSource,
    @Doc(
            "Tool approval mode in effect: the session's own (PATCH mode), else the server's GOOSE_MODE")
        String mode) {

  static SessionFields of(Session s, ApprovalMode defaultMode) {
    return new SessionFields(
        s.id(),
        s.name(),
        s.workingDir().toString(),
        s.createdAt(),
        s.updatedAt(),
        s.messageCount(),
        s.lastUsage(),
        s.totalUsage(),
        s.totalCostUsd(),
        s.nameSource().wire(),
        s.mode().orElse(defaultMode).wire());
  }
}

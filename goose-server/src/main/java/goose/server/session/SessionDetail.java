package goose.server.session;

import goose.approval.ApprovalMode;
import goose.conversation.TokenUsage;
import goose.server.http.Doc;
import goose.session.Session;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code GET /sessions/{id}}: the session with its whole conversation, and where its event log
 * stood, so a client can show the conversation and then follow what happens next without a gap or a
 * repeat (the web UI does).
 */
public record SessionDetail(
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
        String mode,
    @Doc("The whole conversation, oldest first") List<MessageView> messages,
    @Doc(
            "Sequence number of the session's last event, read before the messages: a client that"
                + " follows GET /sessions/{id}/events after it misses nothing of what comes next")
        long lastEventSeq,
    @Doc(
            "The turn running now, if any: its events from first_seq on show what the messages"
                + " do not hold yet (the reply being streamed)")
        Optional<RunningTurnView> runningTurn) {

  static SessionDetail of(
      Session s,
      ApprovalMode defaultMode,
      List<MessageView> messages,
      long lastEventSeq,
      Optional<RunningTurnView> runningTurn) {
    return new SessionDetail(
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
        s.mode().orElse(defaultMode).wire(),
        messages,
        lastEventSeq,
        runningTurn);
  }
}

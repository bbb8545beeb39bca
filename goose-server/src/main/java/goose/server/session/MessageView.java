package goose.server.session;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.server.http.Doc;
import java.time.Instant;
import java.util.List;

/**
 * One message of a conversation. {@code user_visible} / {@code agent_visible} tell a UI what to
 * show after compaction; {@code interrupted} marks the kept partial text of a cancelled or failed
 * turn.
 */
public record MessageView(
    String id,
    Role role,
    Instant createdAt,
    @Doc(
            "The parts of the message: text, image, tool_request, tool_response, thinking, redacted_thinking")
        List<Content> content,
    @Doc("Shown to the user (false for compaction summaries)") boolean userVisible,
    @Doc("Sent to the model (false for messages replaced by a compaction summary)")
        boolean agentVisible,
    @Doc("Partial text of a cancelled or failed turn, kept") boolean interrupted,
    @Doc("Tokens of the provider call that produced this message") TokenUsage usage) {

  static MessageView of(Message m) {
    return new MessageView(
        m.id(),
        m.role(),
        m.createdAt(),
        m.content(),
        m.userVisible(),
        m.agentVisible(),
        m.interrupted(),
        m.usage());
  }

  static List<MessageView> of(List<Message> messages) {
    return messages.stream().map(MessageView::of).toList();
  }
}

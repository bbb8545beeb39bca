package goose.server.session;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import java.time.Instant;
import java.util.List;

/**
 * One message of a conversation. {@code user_visible} / {@code agent_visible} tell a UI what to show
 * after compaction; {@code interrupted} marks the kept partial text of a cancelled or failed turn.
 */
public record MessageView(
    String id,
    Role role,
    Instant createdAt,
    List<Content> content,
    boolean userVisible,
    boolean agentVisible,
    boolean interrupted,
    TokenUsage usage) {

  static MessageView of(Message m) {
    return new MessageView(m.id(), m.role(), m.createdAt(), m.content(), m.userVisible(), m.agentVisible(),
        m.interrupted(), m.usage());
  }

  static List<MessageView> of(List<Message> messages) {
    return messages.stream().map(MessageView::of).toList();
  }
}

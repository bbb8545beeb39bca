package goose.conversation;

import goose.ids.Ids;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation. {@code userVisible}/{@code agentVisible} let compaction hide old
 * messages from the model while the user still sees them; {@code interrupted} marks the partial
 * text of a cancelled or failed turn, kept rather than lost.
 */
public record Message(
    String id,
    Role role,
    Instant createdAt,
    List<Content> content,
    boolean userVisible,
    boolean agentVisible,
    boolean interrupted,
    TokenUsage usage) {

  public Message {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(createdAt, "created_at");
    content = List.copyOf(content);
    usage = usage == null ? TokenUsage.ZERO : usage;
  }

  public static Message user(List<Content> content) {
    return new Message(
        Ids.newId(), Role.USER, Instant.now(), content, true, true, false, TokenUsage.ZERO);
  }

  public static Message user(String text) {
    return user(List.of(new Content.Text(text)));
  }

  public static Message assistant(List<Content> content, TokenUsage usage) {
    return new Message(
        Ids.newId(), Role.ASSISTANT, Instant.now(), content, true, true, false, usage);
  }

  public Message withVisibility(boolean user, boolean agent) {
    return new Message(id, role, createdAt, content, user, agent, interrupted, usage);
  }

  public Message asInterrupted() {
    return new Message(id, role, createdAt, content, userVisible, agentVisible, true, usage);
  }

  /** All text parts joined. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (Content c : content) {
      if (c instanceof Content.Text t) sb.append(t.text());
    }
    return sb.toString();
  }

  public List<Content.ToolRequest> toolRequests() {
    return content.stream()
        .filter(Content.ToolRequest.class::isInstance)
        .map(Content.ToolRequest.class::cast)
        .toList();
  }
}

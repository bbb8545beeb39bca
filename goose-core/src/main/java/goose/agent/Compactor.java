package goose.agent;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.ids.Ids;
import goose.provider.Provider;
import goose.provider.ProviderEvent;
import goose.provider.ProviderRequest;
import goose.provider.ProviderStream;
import goose.session.SessionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Summarises the older part of a conversation with the provider when it nears the context window.
 * The summarised messages stay visible to the user but are hidden from the agent; the agent then
 * sees the summary followed by copies of the recent tail (from the latest user text onwards), so
 * the order the model sees stays right without rewriting stored history.
 */
final class Compactor {
  static final String SUMMARY_PREFIX =
      "Summary of the earlier conversation (older messages were compacted):\n\n";
  private static final String INSTRUCTIONS =
      """
      You summarise a conversation between a user and an AI agent so that the agent can continue the work \
      without the original messages. Keep: the user's goals and constraints, decisions made, facts \
      learned (file names, commands, errors, results), what is done and what is still open. Be concise \
      and precise; write in the third person; do not add anything that was not in the conversation.""";
  private static final int MAX_TOOL_TEXT = 2_000;

  private final SessionStore store;

  Compactor(SessionStore store) {
    this.store = store;
  }

  /**
   * Rough token estimate (4 characters a token), used before the provider tells us the real count.
   */
  static long estimateTokens(String systemPrompt, List<Message> messages) {
    long chars = systemPrompt.length();
    for (Message m : messages) chars += render(m).length();
    return chars / 4;
  }

  /**
   * Compacts the session's agent-visible conversation; returns the new agent view, or the same list
   * when there is nothing old enough to summarise.
   */
  List<Message> compact(String sessionId, Provider provider, List<Message> agentView) {
    int tailStart = tailStart(agentView);
    if (tailStart <= 0) return agentView;
    List<Message> old = agentView.subList(0, tailStart);
    List<Message> tail = agentView.subList(tailStart, agentView.size());
    String summary = summarise(provider, old);

    List<Message> next = new ArrayList<>();
    for (Message m : agentView)
      store.updateMessage(sessionId, m.withVisibility(m.userVisible(), false));
    Message summaryMessage =
        new Message(
            Ids.newId(),
            Role.USER,
            Instant.now(),
            List.of(new Content.Text(SUMMARY_PREFIX + summary)),
            false,
            true,
            false,
            TokenUsage.ZERO);
    store.appendMessage(sessionId, summaryMessage);
    next.add(summaryMessage);
    for (Message m : tail) {
      Message copy =
          new Message(
              Ids.newId(),
              m.role(),
              m.createdAt(),
              m.content(),
              false,
              true,
              m.interrupted(),
              m.usage());
      store.appendMessage(sessionId, copy);
      next.add(copy);
    }
    return next;
  }

  /**
   * Index of the latest user message that carries text (not just tool responses): the tail kept
   * whole.
   */
  static int tailStart(List<Message> view) {
    for (int i = view.size() - 1; i >= 0; i--) {
      Message m = view.get(i);
      if (m.role() == Role.USER && m.content().stream().anyMatch(c -> c instanceof Content.Text))
        return i;
    }
    return -1;
  }

  private static String summarise(Provider provider, List<Message> old) {
    StringBuilder transcript = new StringBuilder("Summarise this conversation:\n\n");
    for (Message m : old) transcript.append(render(m)).append("\n\n");
    ProviderRequest request =
        new ProviderRequest(INSTRUCTIONS, List.of(Message.user(transcript.toString())), List.of());
    StringBuilder out = new StringBuilder();
    try (ProviderStream stream = provider.stream(request)) {
      while (stream.hasNext()) {
        if (stream.next() instanceof ProviderEvent.TextDelta d) out.append(d.text());
      }
    }
    return out.toString().strip();
  }

  static String render(Message m) {
    StringBuilder sb = new StringBuilder(m.role().wire()).append(": ");
    for (Content c : m.content()) {
      switch (c) {
        case Content.Text t -> sb.append(t.text());
        case Content.Image i -> sb.append("[image ").append(i.mimeType()).append(']');
        case Content.ToolRequest r ->
            sb.append("[tool call ").append(r.name()).append(' ').append(r.arguments()).append(']');
        case Content.ToolResponse r ->
            sb.append("[tool result")
                .append(r.isError() ? " (error)" : "")
                .append(": ")
                .append(truncate(r.text()))
                .append(']');
        case Content.Thinking t -> {}
        case Content.RedactedThinking t -> {}
      }
      sb.append(' ');
    }
    return sb.toString().strip();
  }

  private static String truncate(String s) {
    return s.length() <= MAX_TOOL_TEXT ? s : s.substring(0, MAX_TOOL_TEXT) + "…";
  }
}

package goose.agent;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The {@code <turn-context>} block: where the model is, added to the user's message of every turn
 * when a request is built (never stored: the conversation keeps the user's own words). It is
 * derived from that message alone (its time, the session's working dir, whether the conversation
 * before it was compacted, the turn's budget), so every earlier turn's block comes out the same in
 * every later request and the prefix stays cacheable; only the newest message may get a second,
 * short block, when the turn's budget of model calls runs low.
 */
record TurnContext(Path workingDir, int maxCalls, ZoneId zone) {
  /** From this many calls left, the newest message says how many. */
  static final int LOW_BUDGET = 5;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

  TurnContext(Path workingDir, int maxCalls) {
    this(workingDir, maxCalls, ZoneId.systemDefault());
  }

  /**
   * Whether {@code m} started a turn (the user's text), which gets a block; tool results, the
   * summary of compacted messages and the agent's notes after a cut-off reply do not.
   */
  static boolean startsATurn(Message m) {
    return m.role() == Role.USER
        && m.content().stream().anyMatch(Content.Text.class::isInstance)
        && m.content().stream().noneMatch(Content.ToolResponse.class::isInstance)
        && !m.text().startsWith(Continuation.PREFIX)
        && !m.text().startsWith(Compactor.SUMMARY_PREFIX);
  }

  /** The block of the turn that {@code userMessage} started. */
  String block(Message userMessage, boolean compacted) {
    StringBuilder b = new StringBuilder("<turn-context>\n");
    b.append("<current-time>")
        .append(TIME.format(userMessage.createdAt().atZone(zone)))
        .append("</current-time>\n");
    b.append("<working-directory>").append(workingDir).append("</working-directory>\n");
    if (compacted)
      b.append(
          "<compaction>older messages of this conversation were summarised to fit the context window</compaction>\n");
    b.append("<turn-budget>up to ")
        .append(maxCalls)
        .append(maxCalls == 1 ? " model call" : " model calls")
        .append(" in this turn</turn-budget>\n");
    return b.append("</turn-context>").toString();
  }

  /** The short block for the newest message when few calls are left; empty otherwise. */
  Optional<String> lowBudget(int callsMade) {
    int left = maxCalls - callsMade;
    if (left > LOW_BUDGET || left >= maxCalls) return Optional.empty();
    return Optional.of(
        "<turn-context>\n<turn-budget>"
            + left
            + " of "
            + maxCalls
            + " model calls left in this turn</turn-budget>\n</turn-context>");
  }
}

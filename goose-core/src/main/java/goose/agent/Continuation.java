package goose.agent;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.ids.Ids;
import java.time.Instant;
import java.util.List;

/**
 * What the model is told after a reply cut off by the output budget: that it was cut, and to go on
 * rather than start over; a tool call it was writing was not run. The message is stored for the
 * model only (the user sees the replies, not this), so later requests keep the same prefix.
 */
final class Continuation {
  /** How every such note starts (it does not start a turn: it gets no turn context). */
  static final String PREFIX = "[Your previous reply was cut off";

  private Continuation() {}

  /** The note, sent after the tool results of a cut reply, or alone. */
  static String note(int budget, boolean afterToolResults) {
    return PREFIX
        + ": it reached the output limit of "
        + budget
        + " tokens.] "
        + (afterToolResults
            ? "The complete tool calls in it ran (their results are above); the call you were still"
                + " writing was incomplete and did not run. Issue it again, complete. "
            : "Continue exactly where it stopped, without repeating what you already wrote. ")
        + "Keep each reply and each tool call well under the limit: write a large file in several"
        + " smaller steps.";
  }

  /** A message of its own asking the model to go on (the cut reply called no tool). */
  static Message message(int budget, boolean afterToolResults) {
    return new Message(
        Ids.newId(),
        Role.USER,
        Instant.now(),
        List.of(new Content.Text(note(budget, afterToolResults))),
        false,
        true,
        false,
        TokenUsage.ZERO);
  }
}

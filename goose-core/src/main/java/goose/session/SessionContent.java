package goose.session;

import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.event.TurnEvent;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a new session is created with in one go ({@link SessionStore#createWithContent}): its
 * conversation in order, its event log in order (numbered from 1 by the store), and its usage as
 * the session shows it (the last call's, the total and the estimated cost).
 */
public record SessionContent(
    List<Message> messages,
    List<Event> events,
    TokenUsage lastUsage,
    TokenUsage totalUsage,
    OptionalDouble totalCostUsd) {
  public SessionContent {
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(lastUsage, "lastUsage");
    Objects.requireNonNull(totalUsage, "totalUsage");
    Objects.requireNonNull(totalCostUsd, "totalCostUsd");
  }

  /** One event of the log, with the turn it belonged to. */
  public record Event(String turnId, TurnEvent event) {
    public Event {
      Objects.requireNonNull(turnId, "turnId");
      Objects.requireNonNull(event, "event");
    }
  }
}

package goose.event;

import java.util.List;

/**
 * Where a session's events are kept, as the {@link EventLog} needs it. The session store is one;
 * the interface lives here so that this package does not depend on the session package (which
 * depends on it for the event types).
 */
public interface EventStore {

  /** Appends an event; the store assigns the next sequence number of that session (1, 2, ...). */
  StoredEvent appendEvent(String sessionId, String turnId, TurnEvent event);

  /** Stored events with {@code seq > afterSeq}, in order, at most {@code limit}. */
  List<StoredEvent> eventsAfter(String sessionId, long afterSeq, int limit);

  /** The sequence number of the session's last event, 0 when none. */
  long lastEventSeq(String sessionId);
}

package goose.notes;

import java.util.Optional;

/**
 * Where the todo built-in keeps each session's list: with the sessions, so every replica of a
 * shared store reads what a turn on another one wrote. One list per (owner, session).
 */
public interface TodoStore {
  Optional<String> read(String owner, String sessionId);

  /** Replaces the list (an empty text is an empty list). */
  void write(String owner, String sessionId, String content);
}

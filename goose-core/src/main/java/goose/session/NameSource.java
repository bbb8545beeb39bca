package goose.session;

import java.util.Locale;

/**
 * Where a session's name comes from. Only a {@link #DEFAULT} name (none was given) is replaced by a
 * title generated after the first exchange; a name a user gave is never replaced.
 */
public enum NameSource {
  /** No name was given: the session is called "New session" until it gets a title. */
  DEFAULT,
  /** Given when the session was created, or by a rename. */
  USER,
  /** A title the model generated after the first exchange. */
  GENERATED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static NameSource fromWire(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }
}

package goose.user;

import java.time.Instant;
import java.util.Objects;

/**
 * A person or program allowed in by an API token (the {@code tokens} auth mode). Sessions and every
 * other per-user thing are owned by {@link #id()}, never by the name: removing a user and adding
 * another of the same name gives the newcomer a new id, so nothing of the first one is theirs.
 *
 * @param id what owns the user's data (see {@link UserIds})
 * @param admin may manage the server (extensions, audit)
 * @param tokenCreatedAt when the current token was issued (by {@code add} or the last {@code
 *     rotate})
 */
public record User(
    String name, String id, boolean admin, Instant createdAt, Instant tokenCreatedAt) {
  public User {
    Objects.requireNonNull(name);
    Objects.requireNonNull(id);
    Objects.requireNonNull(createdAt);
    Objects.requireNonNull(tokenCreatedAt);
  }
}

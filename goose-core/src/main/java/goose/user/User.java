package goose.user;

import java.time.Instant;
import java.util.Objects;

/**
 * A person or program allowed in by an API token (the {@code tokens} auth mode). Sessions and every
 * other per-user thing are keyed by {@link #name()}.
 *
 * @param admin may manage the server (extensions, audit)
 * @param tokenCreatedAt when the current token was issued (by {@code add} or the last {@code
 *     rotate})
 */
public record User(String name, boolean admin, Instant createdAt, Instant tokenCreatedAt) {
  public User {
    Objects.requireNonNull(name);
    Objects.requireNonNull(createdAt);
    Objects.requireNonNull(tokenCreatedAt);
  }
}

package goose.user;

import java.util.Objects;

/**
 * A freshly issued token with its user. The token exists in clear only here: the store keeps its
 * hash, so this is the one chance to show it. {@link #toString()} leaves it out, so it cannot end
 * up in a log by accident.
 */
public record IssuedToken(User user, String token) {
  public IssuedToken {
    Objects.requireNonNull(user);
    Objects.requireNonNull(token);
  }

  @Override
  public String toString() {
    return "IssuedToken[user=" + user.name() + ", token=****]";
  }
}

package goose.server.auth;

import java.util.Locale;
import java.util.Optional;

/** How requests prove who they are ({@code GOOSE_AUTH}); docs/auth.md describes each. */
public enum AuthMode {
  /** Nobody is asked; every request is the local user. Loopback only, unless explicitly allowed. */
  NONE,
  /**
   * goose-compatible single user: {@code X-Secret-Key} must equal {@code GOOSE_SERVER__SECRET_KEY}.
   */
  SECRET,
  /** Per-user API tokens ({@code goose users add}), sent as {@code Authorization: Bearer}. */
  TOKENS,
  /**
   * An authenticating reverse proxy names the user in a header; trusted only from its addresses.
   */
  PROXY;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<AuthMode> parse(String text) {
    for (AuthMode mode : values()) {
      if (mode.wire().equals(text.trim().toLowerCase(Locale.ROOT))) return Optional.of(mode);
    }
    return Optional.empty();
  }

  /** More than one person can use the server, so some things (extensions) need an admin. */
  public boolean multiUser() {
    return this == TOKENS || this == PROXY;
  }
}

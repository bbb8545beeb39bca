package goose.server.session;

import goose.server.http.ApiException;

/** What a session name may be: 1 to 200 characters after trimming, no control characters. */
final class SessionNames {
  static final String DEFAULT = "New session";
  static final int MAX_LENGTH = 200;

  private SessionNames() {}

  static String check(String name, String field) {
    String trimmed = name.strip();
    if (trimmed.isEmpty()) throw ApiException.badField(field, "must not be blank");
    if (trimmed.length() > MAX_LENGTH)
      throw ApiException.badField(field, "is longer than " + MAX_LENGTH + " characters");
    if (trimmed.chars().anyMatch(Character::isISOControl))
      throw ApiException.badField(field, "contains control characters");
    return trimmed;
  }
}

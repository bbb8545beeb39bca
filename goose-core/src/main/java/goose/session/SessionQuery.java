package goose.session;

import java.util.Optional;

/**
 * A page of a user's sessions, newest first (by {@code updated_at}, then id). {@code cursor} is the
 * opaque {@code next_cursor} of the previous page; {@code nameContains} filters case-insensitively.
 */
public record SessionQuery(int limit, Optional<String> cursor, Optional<String> nameContains) {
  public static final int MAX_LIMIT = 500;

  public SessionQuery {
    if (limit < 1 || limit > MAX_LIMIT)
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    cursor = cursor == null ? Optional.empty() : cursor;
    nameContains = nameContains == null ? Optional.empty() : nameContains;
  }
}

package goose.approval;

import java.util.Optional;

/**
 * A page of the audit, newest first: after {@code cursor} (the previous page's next cursor),
 * optionally one user's or one session's calls.
 */
public record AuditQuery(
    int limit, Optional<String> cursor, Optional<String> user, Optional<String> sessionId) {
  public static final int MAX_LIMIT = 500;

  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT)
      throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT);
    cursor = cursor == null ? Optional.empty() : cursor;
    user = user == null ? Optional.empty() : user;
    sessionId = sessionId == null ? Optional.empty() : sessionId;
  }
}

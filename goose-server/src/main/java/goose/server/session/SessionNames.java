package goose.server.session;

import goose.error.ErrorMessages;
import goose.server.http.ApiException;
import goose.session.SessionNameRule;

/** A session name checked by {@link SessionNameRule}, or a 400 naming the field. */
final class SessionNames {
  static final String DEFAULT = SessionNameRule.DEFAULT;

  private SessionNames() {}

  static String check(String name, String field) {
    try {
      return SessionNameRule.check(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badField(field, ErrorMessages.of(e));
    }
  }
}

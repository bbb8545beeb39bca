package goose.session;

import goose.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The position after the last session of a list page: its {@code updated_at} and id, the keyset of
 * the {@code (owner, updated_at, id)} index. Encoded as opaque base64url text so that clients do
 * not build cursors themselves; every list is still scoped by owner, so a forged cursor reveals
 * nothing.
 */
record ListCursor(long updatedAtNanos, String id) {
  private static final String VERSION = "v1";

  static ListCursor after(Session last) {
    return new ListCursor(StoreRows.nanos(last.updatedAt()), last.id());
  }

  String encode() {
    String plain = VERSION + ":" + updatedAtNanos + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static ListCursor decode(String cursor) {
    String plain;
    try {
      plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    String[] parts = plain.split(":", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION) || !Ids.isWellFormed(parts[2]))
      throw invalid();
    try {
      return new ListCursor(Long.parseLong(parts[1]), parts[2]);
    } catch (NumberFormatException e) {
      throw invalid();
    }
  }

  private static InvalidCursorException invalid() {
    return new InvalidCursorException(
        "invalid cursor: pass the next_cursor of a previous page unchanged");
  }
}

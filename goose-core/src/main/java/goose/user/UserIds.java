package goose.user;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The ids that own users' data. A user added by {@code goose users add} gets {@code name#<64 random
 * bits in hex>}: unique for the lifetime of that user, so a later user of the same name owns
 * nothing of the earlier one, and still readable in the audit and the logs. {@code #} is not
 * allowed in a name, so no name (a proxy user's, {@code local}) can ever equal such an id. Users
 * that existed before ids were introduced kept their name as their id (migration V10), so their
 * sessions stayed theirs.
 */
public final class UserIds {
  static final char SEPARATOR = '#';
  private static final SecureRandom RANDOM = new SecureRandom();

  private UserIds() {}

  /** A fresh id for a new user of this name. */
  static String newId(String name) {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return name + SEPARATOR + HexFormat.of().formatHex(bytes);
  }

  /** The name part of an id (the id itself when it is a plain name). */
  public static String nameOf(String id) {
    int separator = id.indexOf(SEPARATOR);
    return separator < 0 ? id : id.substring(0, separator);
  }
}

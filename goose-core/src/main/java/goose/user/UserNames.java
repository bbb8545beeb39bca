package goose.user;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a user name may be. Names end up in paths ({@code GOOSE_WORKSPACES_ROOT/<user>/}), log lines
 * and database keys, so they are kept to letters, digits and {@code . _ @ -}, start with a letter
 * or digit (never {@code .} or {@code ..}), and are at most 64 characters: an e-mail address fits,
 * a path does not.
 *
 * <p>Some names are the server's own and never a person's ({@link #isReserved}): {@code local} is
 * the single user of the {@code none} and {@code secret} modes, who owns every session made without
 * authentication and administers the server. A token or proxy user of that name would inherit all
 * of it, so such names are refused.
 */
public final class UserNames {
  public static final int MAX_LENGTH = 64;

  /** The single user of the none and secret modes. */
  public static final String LOCAL = "local";

  private static final Pattern VALID =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0," + (MAX_LENGTH - 1) + "}");

  /** Names the server uses itself, compared without case (so {@code Local} is refused too). */
  private static final Set<String> RESERVED = Set.of(LOCAL);

  private UserNames() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /** A name the server uses itself: never a user's. */
  public static boolean isReserved(String name) {
    return name != null && RESERVED.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * The name unchanged, or {@link IllegalArgumentException} saying what a name may contain, or that
   * it is reserved.
   */
  public static String check(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "a user name is 1-"
              + MAX_LENGTH
              + " letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
    }
    if (isReserved(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is a name the server uses itself: choose another");
    }
    return name;
  }
}

package goose.user;

import java.util.regex.Pattern;

/**
 * What a user name may be. Names end up in paths ({@code GOOSE_WORKSPACES_ROOT/<user>/}), log lines
 * and database keys, so they are kept to letters, digits and {@code . _ @ -}, start with a letter
 * or digit (never {@code .} or {@code ..}), and are at most 64 characters: an e-mail address fits,
 * a path does not.
 */
public final class UserNames {
  public static final int MAX_LENGTH = 64;
  private static final Pattern VALID =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0," + (MAX_LENGTH - 1) + "}");

  private UserNames() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /** The name unchanged, or {@link IllegalArgumentException} saying what a name may contain. */
  public static String check(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "a user name is 1-"
              + MAX_LENGTH
              + " letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
    }
    return name;
  }
}

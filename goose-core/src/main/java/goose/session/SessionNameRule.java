package goose.session;

/**
 * What a session name may be, whichever face sets it: 1 to 200 characters after trimming, no
 * control characters.
 */
public final class SessionNameRule {
  public static final String DEFAULT = "New session";
  public static final int MAX_LENGTH = 200;

  private SessionNameRule() {}

  /**
   * The trimmed name; throws {@link IllegalArgumentException} whose message completes "name ...".
   */
  public static String check(String name) {
    String trimmed = name.strip();
    if (trimmed.isEmpty()) throw new IllegalArgumentException("must not be blank");
    if (trimmed.length() > MAX_LENGTH)
      throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
    if (trimmed.chars().anyMatch(Character::isISOControl))
      throw new IllegalArgumentException("contains control characters");
    return trimmed;
  }
}

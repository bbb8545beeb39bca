package goose.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * API tokens: {@code goose_} followed by 256 random bits (base64url), and their stored form, the
 * SHA-256 of the token. Why a plain hash and not bcrypt/argon2: those slow hashes protect
 * low-entropy passwords against guessing; a 256-bit random token cannot be guessed at any speed, so
 * a fast hash loses nothing, and it lets each request find its user with one indexed lookup instead
 * of trying every stored hash. A leaked database therefore yields no usable token.
 */
public final class ApiTokens {
  static final String PREFIX = "goose_";

  /**
   * Upper bound for anything presented as a token (ours are 49 characters); longer is never looked
   * up.
   */
  public static final int MAX_LENGTH = 256;

  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._~+/=-]{1," + MAX_LENGTH + "}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokens() {}

  /** A new random token. */
  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Could this be a token at all (printable token characters, bounded length)? Checked before
   * hashing.
   */
  public static boolean isPlausible(String token) {
    return token != null && SHAPE.matcher(token).matches();
  }

  /** The stored form of a token: lower-case hex SHA-256. */
  public static String hash(String token) {
    return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}

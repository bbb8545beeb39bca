package goose.builtins;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Turns identifiers (user ids, session ids) into single, safe path segments. */
public final class StoragePaths {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private StoragePaths() {}

  /** The id itself when it is a plain name; otherwise a hash of it (never '..', '/', or empty). */
  public static String segment(String id) {
    if (SAFE.matcher(id).matches() && !id.contains("..")) return id;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return "h-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

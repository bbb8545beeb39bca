package goose.testing.deploy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * An nginx {@code auth_basic_user_file} in the salted SHA-1 scheme ({@code {SSHA}}) nginx
 * understands natively, so the test needs neither apache2-utils nor openssl.
 */
final class Htpasswd {
  private Htpasswd() {}

  static String of(Map<String, String> passwords) throws Exception {
    StringBuilder file = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(passwords).entrySet()) {
      byte[] salt = new byte[8];
      new SecureRandom().nextBytes(salt);
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(e.getValue().getBytes(StandardCharsets.UTF_8));
      sha1.update(salt);
      byte[] digest = sha1.digest();
      byte[] both = new byte[digest.length + salt.length];
      System.arraycopy(digest, 0, both, 0, digest.length);
      System.arraycopy(salt, 0, both, digest.length, salt.length);
      file.append(e.getKey())
          .append(":{SSHA}")
          .append(Base64.getEncoder().encodeToString(both))
          .append('\n');
    }
    return file.toString();
  }
}

package goose.server.auth;

import java.util.Locale;

/**
 * Is a bind address loopback only? Decided from the text, without DNS: a name other than localhost
 * counts as not.
 */
final class Loopback {
  private Loopback() {}

  static boolean isLoopback(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) return true;
    return IpRange.literal(h)
        .map(b -> b.length == 4 ? b[0] == 127 : isIpv6Loopback(b))
        .orElse(false);
  }

  private static boolean isIpv6Loopback(byte[] b) {
    for (int i = 0; i < 15; i++) if (b[i] != 0) return false;
    return b[15] == 1;
  }
}

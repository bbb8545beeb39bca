package goose.server.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An IP address or CIDR block ({@code 10.0.0.5}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8})
 * and whether a peer address lies in it. Written here because the JDK has no CIDR type and the rule
 * is a dozen lines; only literals are accepted, so parsing never makes a DNS query.
 */
public final class IpRange {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  // The masked address. A class, not a record: a record compares array components by identity.
  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private IpRange(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  public int prefixLength() {
    return prefixLength;
  }

  /** The range as configured. */
  public String text() {
    return text;
  }

  /** Throws {@link IllegalArgumentException} saying what is wrong with {@code text}. */
  public static IpRange parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes =
        literal(address)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "\""
                            + trimmed
                            + "\" is not an IP address or CIDR block (like 10.0.0.0/8 or ::1)"));
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits)
        throw new IllegalArgumentException(
            "\"" + trimmed + "\" has a prefix length outside 0-" + bits);
    }
    return new IpRange(mask(bytes, prefix), prefix, trimmed);
  }

  /** Does this peer address (a literal, as the server reports it) lie in the range? */
  public boolean contains(String peer) {
    return literal(peer)
        .filter(b -> b.length == network.length)
        .map(b -> Arrays.equals(mask(b, prefixLength), network))
        .orElse(false);
  }

  /**
   * The bytes of an IPv4 or IPv6 literal (IPv4-mapped IPv6 becomes IPv4); empty for anything else,
   * without DNS.
   */
  static Optional<byte[]> literal(String address) {
    String a =
        address.startsWith("[") && address.endsWith("]")
            ? address.substring(1, address.length() - 1)
            : address;
    boolean v4 = IPV4.matcher(a).matches();
    if (v4 && Arrays.stream(a.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255))
      return Optional.empty();
    if (!v4 && !IPV6.matcher(a).matches()) return Optional.empty();
    try {
      return Optional.of(InetAddress.getByName(a).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xFF << (8 - keep));
    }
    return out;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof IpRange r
        && r.prefixLength == prefixLength
        && Arrays.equals(r.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }
}

package goose.extension;

import goose.config.Config;
import goose.config.ConfigKey;
import goose.extension.ExtensionConfig.Launch;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules for remote MCP servers that a user, not an admin, gives the server (an ACP client's
 * {@code mcpServers} of type {@code http}): the server itself connects to them, so without a rule a
 * user could make it reach what only it can reach (its own loopback port, the cloud's metadata
 * service, the private network), whatever {@code GOOSE_SANDBOX_NETWORK} says.
 *
 * <ul>
 *   <li>The host is resolved and every address it resolves to is checked: loopback, unspecified,
 *       link-local (169.254/16, fe80::/10, with the metadata services), private (10/8, 172.16/12,
 *       192.168/16, fc00::/7, fec0::/10), CGNAT (100.64/10) and multicast addresses are refused,
 *       unless an entry of the extension allowlist names the server's URL ({@code uri:}).
 *   <li>The check runs again before every request the connection sends ({@link #guard}): the JVM's
 *       address cache makes that check and the connection's own lookup agree, so a name that is
 *       later pointed at a private address (DNS rebinding) is refused from then on. The HTTP client
 *       of the MCP SDK resolves the name itself and cannot be pinned to the checked address: a
 *       lookup that expires between the check and the connection is the residual window
 *       (SECURITY.md).
 *   <li>Headers that would steer a proxy or the connection ({@link #HOP_BY_HOP}) and the header by
 *       which a trusted proxy names the user ({@code GOOSE_PROXY_USER_HEADER}) are dropped.
 * </ul>
 */
final class UserRemotes {
  /** Hop-by-hop headers the configuration does not already refuse ({@link ExtensionConfigs}). */
  static final Set<String> HOP_BY_HOP =
      Set.of(
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "trailers");

  private final Allowlist allowlist;
  private final String proxyUserHeader;

  UserRemotes(Config config, Allowlist allowlist) {
    this.allowlist = allowlist;
    this.proxyUserHeader =
        config
            .get(ConfigKey.PROXY_USER_HEADER.name(), "X-Remote-User")
            .trim()
            .toLowerCase(Locale.ROOT);
  }

  /**
   * {@code c} as it may run for a user: unchanged unless it is remote, else with the dropped
   * headers gone. Throws {@link ExtensionException.NotAllowed} when its host resolves to an address
   * a user may not reach, {@link ExtensionException.Invalid} when it does not resolve.
   */
  ExtensionConfig admit(ExtensionConfig c) {
    return switch (c.launch()) {
      case Launch.StreamableHttp h -> {
        if (!allowlist.namesUri(h.uri())) check(c.name(), h.uri());
        yield with(c, new Launch.StreamableHttp(h.uri(), kept(h.headers())));
      }
      case Launch.Sse h -> {
        if (!allowlist.namesUri(h.uri())) check(c.name(), h.uri());
        yield with(c, new Launch.Sse(h.uri(), kept(h.headers())));
      }
      case Launch.Stdio s -> c;
      case Launch.Builtin b -> c;
    };
  }

  /**
   * What the connection of an admitted {@code c} checks before each request: nothing when the
   * allowlist names it or it is not remote.
   */
  RemoteGuard guard(ExtensionConfig c) {
    return switch (c.launch()) {
      case Launch.StreamableHttp h ->
          allowlist.namesUri(h.uri()) ? RemoteGuard.NONE : uri -> check(c.name(), uri);
      case Launch.Sse h ->
          allowlist.namesUri(h.uri()) ? RemoteGuard.NONE : uri -> check(c.name(), uri);
      case Launch.Stdio s -> RemoteGuard.NONE;
      case Launch.Builtin b -> RemoteGuard.NONE;
    };
  }

  private Map<String, String> kept(Map<String, String> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach(
        (k, v) -> {
          String lower = k.toLowerCase(Locale.ROOT);
          if (!HOP_BY_HOP.contains(lower) && !lower.equals(proxyUserHeader)) out.put(k, v);
        });
    return out;
  }

  private static ExtensionConfig with(ExtensionConfig c, Launch launch) {
    return new ExtensionConfig(
        c.name(), c.description(), c.enabled(), c.timeout(), c.availableTools(), launch);
  }

  /**
   * Resolves {@code uri}'s host and refuses it when any of its addresses is one users may not
   * reach.
   */
  static void check(String name, URI uri) {
    String host = uri.getHost();
    if (host == null || host.isEmpty())
      throw new ExtensionException.Invalid("uri", "has no host: '" + uri + "'");
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(bare);
    } catch (UnknownHostException e) {
      throw new ExtensionException.Invalid(
          "uri", "the host '" + host + "' of http MCP server '" + name + "' does not resolve");
    }
    for (InetAddress a : addresses) {
      Optional<String> kind = forbidden(a).or(() -> ownAddress(a));
      if (kind.isPresent())
        throw new ExtensionException.NotAllowed(
            "extension '"
                + name
                + "': http MCP server "
                + uri
                + " resolves to "
                + a.getHostAddress()
                + ", "
                + kind.get()
                + ": user-supplied servers may not reach loopback, private or link-local addresses"
                + " (an entry of the extension allowlist, GOOSE_ALLOWLIST, with this uri: permits"
                + " it)");
    }
  }

  /**
   * What kind of address users may not reach {@code a} is ("a loopback address"); empty if none.
   */
  static Optional<String> forbidden(InetAddress a) {
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      Optional<Inet4Address> embedded = embeddedV4(b);
      if (embedded.isPresent()) return forbidden(embedded.get());
      if (a.isLoopbackAddress()) return Optional.of("a loopback address");
      if (a.isAnyLocalAddress()) return Optional.of("an unspecified address");
      if (a.isLinkLocalAddress()) return Optional.of("a link-local address");
      if ((b[0] & 0xfe) == 0xfc || a.isSiteLocalAddress())
        return Optional.of("a private (unique local) address");
      if (a.isMulticastAddress()) return Optional.of("a multicast address");
      return Optional.empty();
    }
    byte[] b = a.getAddress();
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (a.isLoopbackAddress()) return Optional.of("a loopback address");
    if (first == 0) return Optional.of("an unspecified address");
    if (a.isLinkLocalAddress()) return Optional.of("a link-local address");
    if (a.isSiteLocalAddress()) return Optional.of("a private address");
    if (first == 100 && (second & 0xc0) == 64) return Optional.of("a shared (CGNAT) address");
    if (a.isMulticastAddress()) return Optional.of("a multicast address");
    if (first == 255 && second == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255)
      return Optional.of("a broadcast address");
    if (first >= 240) return Optional.of("a reserved address");
    if (first == 198 && (second & 0xfe) == 18) return Optional.of("a benchmarking address");
    if ((first == 192 && second == 0 && (b[2] & 0xff) == 2)
        || (first == 198 && second == 51 && (b[2] & 0xff) == 100)
        || (first == 203 && second == 0 && (b[2] & 0xff) == 113)
        || (first == 192 && second == 0 && (b[2] & 0xff) == 0))
      return Optional.of("a documentation or protocol address");
    return Optional.empty();
  }

  /**
   * "an address of this host" when {@code a} is one of the server's own interface addresses: a
   * public address of the server reaches the services it binds on every interface, which a firewall
   * may keep from the outside but not from the server itself.
   */
  static Optional<String> ownAddress(InetAddress a) {
    try {
      for (NetworkInterface nic :
          java.util.Collections.list(NetworkInterface.getNetworkInterfaces()))
        for (InetAddress own : java.util.Collections.list(nic.getInetAddresses()))
          if (own.equals(a)) return Optional.of("an address of this host");
      return Optional.empty();
    } catch (java.net.SocketException e) {
      return Optional.of("an address this host could not tell from its own");
    }
  }

  /**
   * The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}), NAT64 ({@code
   * 64:ff9b::a.b.c.d}) or 6to4 ({@code 2002:a.b.c.d::/48}) IPv6 address (Java turns IPv4-mapped
   * ones into IPv4 addresses itself).
   */
  private static Optional<Inet4Address> embeddedV4(byte[] b) {
    boolean compatible = true;
    for (int i = 0; i < 12; i++) if (b[i] != 0) compatible = false;
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) return Optional.of(v4(b, 2)); // 6to4
    boolean nat64 =
        (b[0] & 0xff) == 0
            && (b[1] & 0xff) == 0x64
            && (b[2] & 0xff) == 0xff
            && (b[3] & 0xff) == 0x9b;
    for (int i = 4; i < 12 && nat64; i++) if (b[i] != 0) nat64 = false;
    // :: and ::1 are the unspecified and loopback addresses, not embedded ones
    if (compatible && (b[12] | b[13] | b[14]) == 0 && (b[15] & 0xfe) == 0) return Optional.empty();
    if (!compatible && !nat64) return Optional.empty();
    return Optional.of(v4(b, 12));
  }

  /** The IPv4 address of the four bytes of {@code b} from {@code from}. */
  private static Inet4Address v4(byte[] b, int from) {
    try {
      return (Inet4Address)
          InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  /** Checks the URL of each request a user-supplied server's connection sends. */
  @FunctionalInterface
  interface RemoteGuard {
    RemoteGuard NONE = uri -> {};

    /** Throws {@link ExtensionException.NotAllowed} when the request must not leave. */
    void check(URI uri);
  }
}

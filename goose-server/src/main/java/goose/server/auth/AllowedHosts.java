package goose.server.auth;

import goose.server.http.Sanitize;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names the server answers to: its defence against DNS rebinding. A page on {@code
 * evil.example} whose name the attacker re-points at 127.0.0.1 talks to goosed from the browser as
 * a same-origin page, but the browser still sends {@code Host: evil.example:3000}; a request whose
 * {@code Host} is not one of these is refused ({@code 421}) before anything else looks at it (by
 * {@code goose.server.HostGate}, a Jetty handler in front of everything Javalin serves).
 *
 * <p>Allowed are: every entry of {@code GOOSE_ALLOWED_HOSTS} exactly ({@code host[:port]}, compared
 * without case; an entry without a port matches a {@code Host} without one, as browsers send for
 * the default ports); the bind address itself; and, when the server listens on loopback (a loopback
 * address, a wildcard address that includes loopback, or a Unix socket), {@code localhost} and
 * loopback IP literals. A DNS-rebinding page always sends its own DNS name, never one of these, so
 * they are safe with any port.
 *
 * <p>The same set decides which {@code Origin} is the server's own page (see {@link
 * goose.server.limits.Cors}): the origin's {@code host[:port]} must be allowed, never merely equal
 * to the request's own {@code Host}; for the loopback names and the bind address its port must also
 * be the one the request arrived on (a page on another local port is another site).
 */
public final class AllowedHosts {
  /** A DNS name, an IPv4 literal or a bracketed IPv6 literal, then an optional port. */
  private static final Pattern ENTRY =
      Pattern.compile(
          "(?<host>[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*"
              + "|\\[[0-9a-f:.]+])(:(?<port>[0-9]{1,5}))?");

  private final Set<String> exact;
  private final Optional<String> bindHost;
  private final boolean loopback;

  /**
   * @param exact normalised entries of GOOSE_ALLOWED_HOSTS
   * @param bindHost the bind address or name, when requests to it by that name are expected
   * @param loopback whether loopback names are accepted (the server listens on loopback)
   */
  AllowedHosts(Set<String> exact, Optional<String> bindHost, boolean loopback) {
    this.exact = Set.copyOf(exact);
    this.bindHost = bindHost;
    this.loopback = loopback;
  }

  /**
   * For a server bound to {@code host} (empty for a Unix socket) with {@code GOOSE_ALLOWED_HOSTS} =
   * {@code allowedText}; throws {@link IllegalArgumentException} naming a malformed entry.
   */
  public static AllowedHosts of(Optional<String> host, String allowedText) {
    Set<String> exact = new LinkedHashSet<>(parse(allowedText));
    if (host.isEmpty()) return new AllowedHosts(exact, Optional.empty(), true);
    String h = host.get().trim().toLowerCase(Locale.ROOT);
    boolean wildcard = h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]");
    boolean loopback = wildcard || Loopback.isLoopback(h);
    Optional<String> bind =
        wildcard || loopback
            ? Optional.empty()
            : Optional.of(h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h);
    return new AllowedHosts(exact, bind, loopback);
  }

  /** The entries of {@code GOOSE_ALLOWED_HOSTS}, normalised; throws on a malformed one. */
  static List<String> parse(String text) {
    List<String> out = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) continue;
      if (entry.equals("*"))
        throw new IllegalArgumentException(
            "\"*\" is not allowed: list every name clients use, like goose.example.com or goose.example.com:8443");
      var m = ENTRY.matcher(entry);
      if (!m.matches() || (m.group("port") != null && !validPort(m.group("port"))))
        throw new IllegalArgumentException(
            "\""
                + raw.trim()
                + "\" is not host[:port] (a name or IP address as clients send it in Host, no scheme or path)");
      out.add(normalise(entry));
    }
    return out;
  }

  /**
   * Why a request with this {@code Host} header (null when it sent none), arriving on {@code
   * localPort}, is refused; empty when the server answers to that name.
   */
  public Optional<String> refusal(String host, int localPort) {
    if (host == null || host.isBlank())
      return Optional.of("the request has no Host header: send the server's name");
    if (allows(host, localPort, false)) return Optional.empty();
    return Optional.of(
        "this server does not answer to the name "
            + Sanitize.shortText(host, 100)
            + ": if clients reach it by that name, add it to GOOSE_ALLOWED_HOSTS (exact host[:port])");
  }

  /**
   * Is {@code authority} ({@code host[:port]}) a name of this server, for a connection to {@code
   * localPort}? An entry of GOOSE_ALLOWED_HOSTS must match exactly; the loopback names and the bind
   * address match with any port, unless {@code samePort} asks for the connection's own port (an
   * origin on another local port is another site).
   */
  boolean allows(String authority, int localPort, boolean samePort) {
    authority = authority.trim().toLowerCase(Locale.ROOT);
    if (!ENTRY.matcher(authority).matches()) return false;
    authority = normalise(authority);
    if (exact.contains(authority)) return true;
    String name = hostOf(authority);
    Optional<Integer> port = portOf(authority);
    boolean portMatches =
        localPort > 0 ? port.orElse(80) == localPort : port.isEmpty(); // Unix socket: no port
    if (samePort && !portMatches) return false;
    if (bindHost.isPresent() && bindHost.get().equals(name)) return true;
    return loopback && (name.equals("localhost") || Loopback.isLoopback(name));
  }

  /**
   * Is {@code origin} (an {@code Origin} header) a page of this server, for a request with this
   * {@code Host} reached on {@code localPort}? Yes when it names the request's own Host and that
   * Host is allowed (a page served through a proxy on this machine: the browser's origin is the
   * proxy's), or when it names an allowed host with the connection's own port.
   */
  public boolean allowsOrigin(String origin, String host, int localPort) {
    URI uri;
    try {
      uri = URI.create(origin.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) return false;
    if (uri.getRawAuthority() == null || uri.getRawUserInfo() != null) return false;
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) return false;
    String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
    if (host != null
        && ENTRY.matcher(authority).matches()
        && normalise(authority).equals(normalise(host.trim().toLowerCase(Locale.ROOT)))
        && allows(host, localPort, false)) return true;
    return allows(authority, localPort, true);
  }

  private static boolean validPort(String port) {
    int p = Integer.parseInt(port);
    return p >= 1 && p <= 65_535;
  }

  /** Lower case, and the default ports 80 and 443 left out (browsers leave them out). */
  private static String normalise(String authority) {
    if (authority.endsWith(":80")) return authority.substring(0, authority.length() - 3);
    if (authority.endsWith(":443")) return authority.substring(0, authority.length() - 4);
    return authority;
  }

  private static String hostOf(String authority) {
    int colon = authority.lastIndexOf(':');
    return colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
  }

  private static Optional<Integer> portOf(String authority) {
    int colon = authority.lastIndexOf(':');
    if (colon <= authority.lastIndexOf(']')) return Optional.empty();
    return Optional.of(Integer.parseInt(authority.substring(colon + 1)));
  }

  @Override
  public String toString() {
    return "AllowedHosts[" + exact + (loopback ? " + loopback" : "") + "]";
  }
}

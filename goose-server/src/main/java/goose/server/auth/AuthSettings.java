package goose.server.auth;

import goose.config.Config;
import goose.config.ConfigException;
import goose.config.ConfigKey;
import goose.config.ConfigValue;
import goose.user.UserNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The authentication settings, read and checked once at start. Every unsafe or incomplete
 * combination stops the start with one line saying what to set: {@code none} on a non-loopback
 * address, a missing or short secret, proxy mode without trusted proxies. The secret itself never
 * appears in a message.
 */
public record AuthSettings(
    AuthMode mode,
    Optional<String> secret,
    String proxyUserHeader,
    List<IpRange> trustedProxies,
    boolean trustUnixSocket,
    Set<String> adminUsers,
    boolean unauthenticatedOffLoopback,
    boolean unixSocket) {
  /** The word in {@code GOOSE_TRUSTED_PROXIES} that trusts the peers of the Unix socket. */
  public static final String UNIX = "unix";

  static final int MIN_SECRET_LENGTH = 16;
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");

  public AuthSettings {
    trustedProxies = List.copyOf(trustedProxies);
    adminUsers = Set.copyOf(adminUsers);
  }

  public static AuthSettings from(Config config, String host) {
    return from(config, host, false);
  }

  /**
   * The settings for a server bound to {@code host}, or to a Unix domain socket.
   *
   * @param unixSocket the server listens on a Unix domain socket ({@code GOOSE_UNIX_SOCKET}), which
   *     is local like loopback
   */
  public static AuthSettings from(Config config, String host, boolean unixSocket) {
    Optional<String> secret = config.secret(ConfigKey.SECRET_KEY.name());
    AuthMode mode = mode(config, secret.isPresent());
    boolean allowUnauthenticated = config.getBoolean(ConfigKey.ALLOW_UNAUTHENTICATED.name(), false);
    boolean offLoopback = false;
    switch (mode) {
      case NONE -> {
        if (!unixSocket && !Loopback.isLoopback(host)) {
          if (!allowUnauthenticated) {
            throw new ConfigException(
                "GOOSE_HOST is "
                    + host
                    + ", not a loopback address, and GOOSE_AUTH is none: set GOOSE_AUTH"
                    + " (secret with GOOSE_SERVER__SECRET_KEY, tokens, or proxy with GOOSE_TRUSTED_PROXIES),"
                    + " or GOOSE_ALLOW_UNAUTHENTICATED=true to let anyone who can reach it in");
          }
          offLoopback = true;
        }
      }
      case SECRET -> {
        if (secret.isEmpty())
          throw new ConfigException("GOOSE_AUTH is secret but GOOSE_SERVER__SECRET_KEY is not set");
        if (secret.get().length() < MIN_SECRET_LENGTH) {
          throw new ConfigException(
              "GOOSE_SERVER__SECRET_KEY is shorter than "
                  + MIN_SECRET_LENGTH
                  + " characters: use a long random value (e.g. openssl rand -hex 32)");
        }
      }
      case TOKENS, PROXY -> {}
    }
    String header = config.get(ConfigKey.PROXY_USER_HEADER.name(), "X-Remote-User").trim();
    if (!HEADER_NAME.matcher(header).matches()) {
      throw new ConfigException(
          "GOOSE_PROXY_USER_HEADER must be a header name (letters, digits and -), got \""
              + header
              + "\"");
    }
    List<String> trusted = list(config, ConfigKey.TRUSTED_PROXIES);
    boolean trustUnix = trusted.stream().anyMatch(t -> t.equalsIgnoreCase(UNIX));
    List<IpRange> proxies =
        trusted.stream().filter(t -> !t.equalsIgnoreCase(UNIX)).map(t -> proxy(config, t)).toList();
    if (mode == AuthMode.PROXY && proxies.isEmpty() && !trustUnix) {
      throw new ConfigException(
          "GOOSE_AUTH is proxy but GOOSE_TRUSTED_PROXIES is not set: list the proxy's addresses"
              + " (comma-separated IPs or CIDRs, e.g. 127.0.0.1, or unix for GOOSE_UNIX_SOCKET);"
              + " the user header is trusted only from them");
    }
    if (mode == AuthMode.PROXY && unixSocket && !trustUnix) {
      throw new ConfigException(
          "GOOSE_AUTH is proxy and the server listens on GOOSE_UNIX_SOCKET, but GOOSE_TRUSTED_PROXIES"
              + " does not list unix: set GOOSE_TRUSTED_PROXIES=unix to trust the proxy that connects"
              + " through the socket (its file mode decides who can)");
    }
    Set<String> admins = new LinkedHashSet<>();
    for (String name : list(config, ConfigKey.ADMIN_USERS)) {
      if (!UserNames.isValid(name))
        throw new ConfigException("GOOSE_ADMIN_USERS: \"" + name + "\" is not a valid user name");
      if (UserNames.isReserved(name))
        throw new ConfigException(
            "GOOSE_ADMIN_USERS: \"" + name + "\" is a name the server uses itself, not a user");
      admins.add(name);
    }
    return new AuthSettings(
        mode,
        mode == AuthMode.SECRET ? secret : Optional.empty(),
        header,
        proxies,
        trustUnix,
        admins,
        offLoopback,
        unixSocket);
  }

  /** The auth mode this configuration selects ({@code GOOSE_AUTH}, else implied by a secret). */
  public static AuthMode modeOf(Config config) {
    return mode(config, config.secret(ConfigKey.SECRET_KEY.name()).isPresent());
  }

  private static AuthMode mode(Config config, boolean secretSet) {
    Optional<ConfigValue> value =
        config.lookup(ConfigKey.AUTH.name()).filter(v -> !v.value().isBlank());
    if (value.isEmpty()) return secretSet ? AuthMode.SECRET : AuthMode.NONE;
    return parseMode(value.get());
  }

  /**
   * The mode {@code GOOSE_AUTH} names (any case); a {@link ConfigException} naming the file or
   * variable otherwise. The start and {@code goose configure set} both check with it.
   */
  public static AuthMode parseMode(ConfigValue value) {
    String word = value.value().strip();
    return AuthMode.parse(word)
        .orElseThrow(
            () ->
                ConfigException.badValue(
                    value, "must be none, secret, tokens or proxy, got \"" + word + "\""));
  }

  private static IpRange proxy(Config config, String text) {
    try {
      return IpRange.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          config
                  .lookup(ConfigKey.TRUSTED_PROXIES.name())
                  .map(ConfigValue::origin)
                  .orElse("GOOSE_TRUSTED_PROXIES")
              + ": GOOSE_TRUSTED_PROXIES: "
              + e.getMessage());
    }
  }

  private static List<String> list(Config config, ConfigKey key) {
    List<String> items = new ArrayList<>();
    for (String part : config.get(key.name(), "").split(",", -1)) {
      if (!part.isBlank()) items.add(part.trim());
    }
    return items;
  }

  @Override
  public String toString() {
    return "AuthSettings[mode="
        + mode.wire()
        + ", secret="
        + (secret.isPresent() ? "****" : "none")
        + ", proxyUserHeader="
        + proxyUserHeader
        + ", trustedProxies="
        + trustedProxies
        + (trustUnixSocket ? " + unix" : "")
        + ", adminUsers="
        + adminUsers
        + "]";
  }
}

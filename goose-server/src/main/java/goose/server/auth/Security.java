package goose.server.auth;

import goose.config.Config;
import goose.config.ConfigException;
import goose.config.ConfigKey;
import goose.server.limits.Cors;
import goose.server.limits.RateLimiter;
import goose.server.limits.StreamLimiter;
import goose.user.UserStore;
import goose.user.UserStores;
import java.util.Optional;

/**
 * Everything that decides who may do what, read and checked once at start: the names the server
 * answers to, the auth mode and its {@link Authenticator}, the user store (tokens mode), the
 * per-user rate and stream limits, CORS, and the workspaces root. {@code goose.server.AuthFilter}
 * applies it to every request.
 */
public record Security(
    AuthSettings auth,
    Authenticator authenticator,
    Optional<UserStore> users,
    AllowedHosts allowedHosts,
    RateLimiter rateLimiter,
    StreamLimiter streams,
    Cors cors,
    Workspaces workspaces)
    implements AutoCloseable {

  /** Event streams a user may have open at once, when GOOSE_MAX_STREAMS_PER_USER is not set. */
  public static final int DEFAULT_MAX_STREAMS_PER_USER = 32;

  /**
   * Throws {@link ConfigException} (one line, what to set) for an unsafe or incomplete
   * configuration.
   *
   * @param host the bind address ({@code GOOSE_HOST})
   * @param unixSocket whether the server listens on {@code GOOSE_UNIX_SOCKET} instead
   */
  public static Security open(Config config, String host, boolean unixSocket) {
    AuthSettings auth = AuthSettings.from(config, host, unixSocket);
    AllowedHosts allowed =
        allowedHostsOf(config, unixSocket ? Optional.empty() : Optional.of(host));
    double rate = config.getDouble(ConfigKey.RATE_LIMIT.name(), 50, 0, 1_000_000);
    double burst = config.getDouble(ConfigKey.RATE_BURST.name(), 200, 1, 1_000_000);
    int streams =
        config.getInt(
            ConfigKey.MAX_STREAMS_PER_USER.name(), DEFAULT_MAX_STREAMS_PER_USER, 1, 100_000);
    Cors cors = corsOf(config, allowed);
    Workspaces workspaces = Workspaces.fromConfig(config);
    Optional<UserStore> users =
        auth.mode() == AuthMode.TOKENS ? Optional.of(UserStores.open(config)) : Optional.empty();
    return new Security(
        auth,
        Authenticator.of(auth, users),
        users,
        allowed,
        new RateLimiter(rate, burst),
        new StreamLimiter(streams),
        cors,
        workspaces);
  }

  private static AllowedHosts allowedHostsOf(Config config, Optional<String> host) {
    try {
      return AllowedHosts.of(host, config.get(ConfigKey.ALLOWED_HOSTS.name(), ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("GOOSE_ALLOWED_HOSTS: " + e.getMessage());
    }
  }

  private static Cors corsOf(Config config, AllowedHosts allowed) {
    String text = config.get(ConfigKey.CORS_ORIGINS.name(), "");
    try {
      return new Cors(Cors.parseOrigins(text), allowed::allowsOrigin);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("GOOSE_CORS_ORIGINS: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    users.ifPresent(UserStore::close);
  }
}

package goose.server.auth;

import goose.config.Config;
import goose.config.ConfigException;
import goose.config.ConfigKey;
import goose.server.limits.Cors;
import goose.server.limits.RateLimiter;
import goose.user.UserStore;
import goose.user.UserStores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything that decides who may do what, read and checked once at start: the auth mode and its
 * {@link Authenticator}, the user store (tokens mode), the per-user rate limit, CORS, and the
 * workspaces root. {@code goose.server.AuthFilter} applies it to every request.
 */
public record Security(
    AuthSettings auth,
    Authenticator authenticator,
    Optional<UserStore> users,
    RateLimiter rateLimiter,
    Cors cors,
    Workspaces workspaces)
    implements AutoCloseable {

  /**
   * Throws {@link ConfigException} (one line, what to set) for an unsafe or incomplete
   * configuration.
   */
  public static Security open(Config config, String host) {
    AuthSettings auth = AuthSettings.from(config, host);
    double rate = config.getDouble(ConfigKey.RATE_LIMIT.name(), 50, 0, 1_000_000);
    double burst = config.getDouble(ConfigKey.RATE_BURST.name(), 200, 1, 1_000_000);
    Cors cors = corsOf(config);
    Workspaces workspaces = workspacesOf(config);
    Optional<UserStore> users =
        auth.mode() == AuthMode.TOKENS ? Optional.of(UserStores.open(config)) : Optional.empty();
    return new Security(
        auth, Authenticator.of(auth, users), users, new RateLimiter(rate, burst), cors, workspaces);
  }

  private static Cors corsOf(Config config) {
    String text = config.get(ConfigKey.CORS_ORIGINS.name(), "");
    try {
      return new Cors(Cors.parseOrigins(text));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("GOOSE_CORS_ORIGINS: " + e.getMessage());
    }
  }

  private static Workspaces workspacesOf(Config config) {
    Optional<String> root = config.get(ConfigKey.WORKSPACES_ROOT.name()).filter(s -> !s.isBlank());
    if (root.isEmpty()) return Workspaces.none();
    try {
      Path path = Path.of(root.get().strip());
      if (!path.isAbsolute())
        throw new ConfigException(
            "GOOSE_WORKSPACES_ROOT must be an absolute path, got \"" + root.get() + "\"");
      return Workspaces.at(path);
    } catch (java.nio.file.InvalidPathException | IOException e) {
      throw new ConfigException(
          "GOOSE_WORKSPACES_ROOT: " + root.get() + " is not an existing directory");
    }
  }

  @Override
  public void close() {
    users.ifPresent(UserStore::close);
  }
}

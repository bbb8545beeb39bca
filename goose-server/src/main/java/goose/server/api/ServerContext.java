package goose.server.api;

import goose.config.Config;
import goose.session.SessionStore;
import java.util.Objects;

/**
 * The services a request handler works with, built once per server start. New services (the turn
 * service, the extension manager, metrics) are added here as components, and handlers reach them
 * through the {@code ServerContext} every {@link ApiHandler} receives.
 */
public record ServerContext(Config config, ServerSettings settings, SessionStore sessions) {
  public ServerContext {
    Objects.requireNonNull(config);
    Objects.requireNonNull(settings);
    Objects.requireNonNull(sessions);
  }
}

package goose.agent;

import goose.provider.Provider;
import goose.session.Session;
import java.util.function.Supplier;

/**
 * The provider a session's turns use: the server's configured one, or the session's own choice of
 * provider and model. Throws what building a provider throws ({@code
 * ProviderNotConfiguredException} when settings are missing).
 */
@FunctionalInterface
public interface ProviderSource {
  Provider forSession(Session session);

  /** The same provider for every session. */
  static ProviderSource of(Supplier<Provider> provider) {
    return session -> provider.get();
  }
}

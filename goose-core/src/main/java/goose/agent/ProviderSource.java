package goose.agent;

import goose.provider.Provider;
import goose.session.Session;
import java.util.function.Supplier;

/**
 * The provider turns use: the server's configured one, or a session's own choice of provider and
 * model. Both throw what building a provider throws ({@code ProviderNotConfiguredException} when
 * settings are missing).
 */
@FunctionalInterface
public interface ProviderSource {
  /** The server's configured provider ({@code GOOSE_PROVIDER}, {@code GOOSE_MODEL}). */
  Provider configured();

  /** The provider of this session's turns: its own choice, else {@link #configured()}. */
  default Provider forSession(Session session) {
    return configured();
  }

  /** The same provider for every session. */
  static ProviderSource of(Supplier<Provider> provider) {
    return provider::get;
  }
}

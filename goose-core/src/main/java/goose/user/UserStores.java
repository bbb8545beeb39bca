package goose.user;

import goose.config.Config;
import goose.session.SessionStores;
import java.util.Optional;

/** Opens the {@link UserStore} of a configuration: the users table of the sessions' database. */
public final class UserStores {
  /** Token lookups are one indexed read each; a couple of connections serve a busy server. */
  private static final int POOL_SIZE = 2;

  private UserStores() {}

  /** Throws {@link goose.config.ConfigException} (one line) when the database cannot be opened. */
  public static UserStore open(Config config) {
    return new JdbcUserStore(SessionStores.openDatabase(config, Optional.of(POOL_SIZE)));
  }
}

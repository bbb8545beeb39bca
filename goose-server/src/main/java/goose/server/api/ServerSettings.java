package goose.server.api;

import goose.config.Config;
import goose.config.ConfigKey;

/**
 * The server's own settings, read and checked once at start so a bad value (port "abc") stops the
 * start with a {@link goose.config.ConfigException} naming the key, instead of failing on some
 * later request.
 */
public record ServerSettings(String host, int port, long maxBodyBytes) {

  public static ServerSettings from(Config config) {
    return new ServerSettings(
        config.get(ConfigKey.HOST.name(), "127.0.0.1").trim(),
        config.getInt(ConfigKey.PORT.name(), 3000, 0, 65_535),
        config.getLong(ConfigKey.MAX_BODY_BYTES.name(), 10L * 1024 * 1024, 1, 1L << 31));
  }
}

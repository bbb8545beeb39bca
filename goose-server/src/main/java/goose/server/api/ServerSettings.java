package goose.server.api;

import goose.config.Config;
import goose.config.ConfigException;
import goose.config.ConfigKey;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The server's own settings, read and checked once at start so a bad value (port "abc") stops the
 * start with a {@link goose.config.ConfigException} naming the key, instead of failing on some
 * later request.
 *
 * @param unixSocket {@code GOOSE_UNIX_SOCKET}: listen on this Unix domain socket instead of {@code
 *     host:port}
 * @param headerTimeout {@code GOOSE_HEADER_TIMEOUT}: a connection that takes longer to send a
 *     request's headers is cut
 * @param shutdownIdle {@code GOOSE_SHUTDOWN_IDLE_MS}: while the server stops, a connection silent
 *     this long is cut (a stalled upload or an idle keep-alive must not hold the stop); tests set
 *     it near zero so that stopping a test server costs no fixed delay
 */
public record ServerSettings(
    String host,
    int port,
    long maxBodyBytes,
    Optional<Path> unixSocket,
    Duration headerTimeout,
    Duration shutdownIdle) {
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

  /** Longest socket path the kernel takes (sun_path is 108 bytes with its terminating NUL). */
  static final int MAX_SOCKET_PATH = 107;

  public static ServerSettings from(Config config) {
    return new ServerSettings(
        config.get(ConfigKey.HOST.name(), "127.0.0.1").trim(),
        config.getInt(ConfigKey.PORT.name(), 3000, 0, 65_535),
        config.getLong(ConfigKey.MAX_BODY_BYTES.name(), 10L * 1024 * 1024, 1, 1L << 31),
        unixSocket(config),
        headerTimeout(config),
        // at least 1 ms: 0 would mean "never" to Jetty, holding the stop for its whole timeout
        Duration.ofMillis(config.getLong(ConfigKey.SHUTDOWN_IDLE_MS.name(), 2_000, 1, 60_000)));
  }

  private static Duration headerTimeout(Config config) {
    Duration timeout = config.getSeconds(ConfigKey.HEADER_TIMEOUT.name(), DEFAULT_HEADER_TIMEOUT);
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0)
      throw new ConfigException(
          "GOOSE_HEADER_TIMEOUT must be between 1 and 3600 seconds, got " + timeout.toSeconds());
    return timeout;
  }

  private static Optional<Path> unixSocket(Config config) {
    Optional<String> text =
        config.get(ConfigKey.UNIX_SOCKET.name()).map(String::strip).filter(s -> !s.isEmpty());
    if (text.isEmpty()) return Optional.empty();
    Path path;
    try {
      path = Path.of(text.get());
    } catch (InvalidPathException e) {
      throw new ConfigException("GOOSE_UNIX_SOCKET: \"" + text.get() + "\" is not a path");
    }
    if (!path.isAbsolute())
      throw new ConfigException(
          "GOOSE_UNIX_SOCKET must be an absolute path, got \"" + text.get() + "\"");
    if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH)
      throw new ConfigException(
          "GOOSE_UNIX_SOCKET is longer than "
              + MAX_SOCKET_PATH
              + " bytes, the limit of a socket path: choose a shorter one, e.g. /run/goosed/goosed.sock");
    return Optional.of(path);
  }
}

package goose.server;

import goose.config.ConfigException;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;

/**
 * {@code GOOSE_UNIX_SOCKET}: the server listens on a Unix domain socket instead of a TCP port. A
 * reverse proxy on the same machine then is the only client that can reach goosed, and who may
 * connect is decided by the socket's file mode ({@code 0660}: the server's user and group) and the
 * directory it lies in, not by an address every local process can connect to. The socket is removed
 * when the server stops; a stale one left by a crash is replaced at start, but never a file that is
 * not a socket, nor a socket another server still listens on.
 */
final class UnixSocket {
  static final String MODE = "rw-rw----";

  private UnixSocket() {}

  /** Replaces the TCP connector with one on {@code path} (Javalin then opens no TCP port). */
  static void listenOn(JavalinConfig cfg, Path path) {
    cfg.jetty.addConnector(
        (server, http) -> {
          removeStale(path);
          UnixDomainServerConnector connector =
              new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
          connector.setUnixDomainPath(path);
          return connector;
        });
  }

  /**
   * Right after the start: gives the socket its mode ({@link #MODE}). Until then it has the mode
   * the umask gives, which is why the socket belongs in a directory only the server and the proxy
   * can enter.
   */
  static void restrict(Path path) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(MODE));
    } catch (IOException | UnsupportedOperationException e) {
      throw new ConfigException(
          "GOOSE_UNIX_SOCKET: cannot set the mode of " + path + ": " + e.getMessage(), e);
    }
  }

  private static void removeStale(Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isOther())
        throw new ConfigException(
            "GOOSE_UNIX_SOCKET: "
                + path
                + " exists and is not a socket; remove it or choose another path");
      if (listening(path))
        throw new ConfigException("GOOSE_UNIX_SOCKET: another server is listening on " + path);
      Files.delete(path);
    } catch (IOException e) {
      throw new ConfigException(
          "GOOSE_UNIX_SOCKET: cannot replace " + path + ": " + e.getMessage(), e);
    }
  }

  private static boolean listening(Path path) {
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      return probe.connect(UnixDomainSocketAddress.of(path));
    } catch (IOException refused) {
      return false;
    }
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GOOSE_UNIX_SOCKET}: the server listens on a Unix domain socket only (mode 0660, no TCP
 * port), trusts a proxy's user header there when {@code GOOSE_TRUSTED_PROXIES} lists {@code unix},
 * still checks the Host, and cleans up after itself.
 */
@Timeout(60)
class UnixSocketTest {
  @TempDir Path root;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private Path socket() throws IOException {
    return Files.createDirectories(root.resolve("run")).resolve("goosed.sock");
  }

  @Test
  void proxyModeOverTheSocketTrustsItsUserHeaderAndStillChecksTheHost() throws Exception {
    Path socket = socket();
    server = TestServer.start(root, proxyOn(socket, "unix"));
    assertThat(Files.getPosixFilePermissions(socket))
        .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
    assertThat(server.server.port()).isEqualTo(-1);
    assertThat(server.server.uri().toString()).isEqualTo("unix:" + socket);

    RawHttp.Response alice =
        get(socket, "/sessions", "goose.example.com", "X-Remote-User", "alice");
    assertThat(alice.status()).as(alice.body()).isEqualTo(200);
    assertThat(get(socket, "/sessions", "localhost").status())
        .as("the proxy sent no user")
        .isEqualTo(401);
    assertThat(get(socket, "/sessions", "localhost", "X-Remote-User", "local").status())
        .as("a reserved name")
        .isEqualTo(401);
    RawHttp.Response rebound =
        get(
            socket,
            "/sessions",
            "evil.example",
            "X-Remote-User",
            "alice",
            "Origin",
            "http://evil.example");
    assertThat(rebound.status()).as(rebound.body()).isEqualTo(421);
    assertThat(get(socket, "/status", "localhost").status()).isEqualTo(200);

    server.close();
    server = null;
    assertThat(socket).as("removed at stop").doesNotExist();
  }

  @Test
  void proxyModeOnTheSocketWithoutTrustingItRefusesToStart() throws IOException {
    Path socket = socket();
    assertThatThrownBy(() -> TestServer.start(root, proxyOn(socket, "127.0.0.1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GOOSE_TRUSTED_PROXIES=unix");
  }

  @Test
  void aStaleSocketIsReplacedButNeverAFileOrALiveSocket() throws Exception {
    Path socket = socket();
    try (var stale =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      stale.bind(java.net.UnixDomainSocketAddress.of(socket));
      assertThatThrownBy(
              () -> TestServer.start(root, Map.of("GOOSE_UNIX_SOCKET", socket.toString())))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("another server is listening");
    } // closed: the socket file stays behind, as after a crash
    assertThat(socket).exists();
    server = TestServer.start(root, Map.of("GOOSE_UNIX_SOCKET", socket.toString()));
    assertThat(get(socket, "/status", "localhost").status()).isEqualTo(200);
    server.close();
    server = null;

    Files.writeString(socket, "not a socket");
    assertThatThrownBy(() -> TestServer.start(root, Map.of("GOOSE_UNIX_SOCKET", socket.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a socket");
    assertThat(Files.readString(socket)).isEqualTo("not a socket");
    assertThatThrownBy(
            () -> TestServer.start(root, Map.of("GOOSE_UNIX_SOCKET", "relative/goosed.sock")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("absolute");
  }

  /** Proxy mode on {@code socket}, trusting {@code trusted}, answering to goose.example.com. */
  private static Map<String, String> proxyOn(Path socket, String trusted) {
    return Map.of(
        "GOOSE_UNIX_SOCKET",
        socket.toString(),
        "GOOSE_AUTH",
        "proxy",
        "GOOSE_TRUSTED_PROXIES",
        trusted,
        "GOOSE_ALLOWED_HOSTS",
        "goose.example.com");
  }

  private static RawHttp.Response get(Path socket, String path, String host, String... headers)
      throws IOException {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {"Host", host});
    for (int i = 0; i + 1 < headers.length; i += 2)
      h.add(new String[] {headers[i], headers[i + 1]});
    return RawHttp.sendUnix(
        socket,
        new RawHttp.Request("GET", path.getBytes(StandardCharsets.US_ASCII), h, null),
        20_000);
  }
}

package goose.cli.acp;

import goose.config.Config;
import goose.provider.fake.FakeAnthropicServer;
import goose.server.GooseServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real goosed on a random loopback port with the fake Anthropic provider, its store and working
 * directory under {@code root}: what the ACP tests that speak JSON-RPC by hand run against.
 */
final class AcpTestServer implements AutoCloseable {
  final FakeAnthropicServer anthropic;
  final GooseServer server;
  final Path cwd;

  private AcpTestServer(FakeAnthropicServer anthropic, GooseServer server, Path cwd) {
    this.anthropic = anthropic;
    this.server = server;
    this.cwd = cwd;
  }

  /** With {@code extra} settings (auth mode, allowlist, ...) added to the scenario's. */
  static AcpTestServer start(Path root, Map<String, String> extra) throws Exception {
    FakeAnthropicServer anthropic = new FakeAnthropicServer();
    try {
      Files.createDirectories(root.resolve("home"));
      Path cwd = Files.createDirectories(root.resolve("work")).toRealPath();
      Map<String, String> env = new HashMap<>(AcpScenario.env(root, anthropic));
      env.put("GOOSE_PORT", "0");
      // Stopping pays no fixed delay for the client's idle keep-alive connections.
      env.put("GOOSE_SHUTDOWN_IDLE_MS", "1");
      env.putAll(extra);
      return new AcpTestServer(
          anthropic, GooseServer.start(Config.load(env, root.resolve("home"))), cwd);
    } catch (Exception | Error e) {
      anthropic.close();
      throw e;
    }
  }

  /** {@code ws://.../acp} with {@code query} ("" or "?token=..."). */
  URI ws(String query) {
    return URI.create("ws://127.0.0.1:" + server.port() + "/acp" + query);
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      anthropic.close();
    }
  }
}

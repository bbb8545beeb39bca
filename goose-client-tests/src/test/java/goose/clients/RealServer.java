package goose.clients;

import goose.config.Config;
import goose.provider.fake.FakeOpenAiServer;
import goose.server.GooseServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real goosed on 127.0.0.1 and a random port, with its own directories and SQLite store under
 * {@code root}, talking to a fake OpenAI-compatible provider that speaks the real wire format.
 * Queue the provider's replies on {@link #provider} in the order the client sends its messages.
 */
final class RealServer implements AutoCloseable {
  final FakeOpenAiServer provider = new FakeOpenAiServer();
  final Path workDir;
  private final GooseServer server;

  RealServer(Path root) {
    try {
      Path home = Files.createDirectories(root.resolve("home"));
      workDir = Files.createDirectories(root.resolve("project"));
      Map<String, String> env =
          Map.of(
              "GOOSE_PATH_ROOT", root.toString(),
              "GOOSE_HOST", "127.0.0.1",
              "GOOSE_PORT", "0",
              "GOOSE_PROVIDER", "openai",
              "OPENAI_HOST", provider.baseUri().toString(),
              "OPENAI_API_KEY", "sk-generated-client-test",
              // A title request after a first exchange would take the next queued reply.
              "GOOSE_SESSION_TITLES", "false",
              // Stopping pays no fixed delay for the client's idle keep-alive connections.
              "GOOSE_SHUTDOWN_IDLE_MS", "1");
      server = GooseServer.start(Config.load(env, home));
    } catch (IOException e) {
      provider.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      provider.close();
      throw e;
    }
  }

  URI uri() {
    return server.uri();
  }

  @Override
  public void close() {
    server.close();
    provider.close();
  }
}

package goose.server;

import goose.config.Config;
import goose.json.Json;
import goose.session.SqliteTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real goosed on 127.0.0.1 and a random port, with its own config/data/state directories (a real
 * SQLite file) under {@code root}. Start another on the same root to test a restart.
 */
final class TestServer implements AutoCloseable {
  final Path root;
  final Config config;
  final GooseServer server;
  final ApiClient client;
  private final Map<String, String> extraEnv;

  private TestServer(Path root, Map<String, String> extraEnv, Config config, GooseServer server) {
    this.root = root;
    this.extraEnv = Map.copyOf(extraEnv);
    this.config = config;
    this.server = server;
    this.client = new ApiClient(server.uri());
  }

  static TestServer start(Path root) {
    return start(root, Map.of());
  }

  /**
   * Starts a server on {@code root}; a new SQLite store there starts as a copy of the migrated
   * template ({@link SqliteTemplate}): the migrations themselves are tested where a store is opened
   * blank (goose-core's store tests, the server processes of ServerLifecycleTest and others).
   */
  static TestServer start(Path root, Map<String, String> extraEnv) {
    Config config = config(root, extraEnv);
    SqliteTemplate.placeFor(config);
    return new TestServer(root, extraEnv, config, GooseServer.start(config));
  }

  /**
   * Starts a server on {@code root} with a new store left to the server to create and migrate, as
   * on a first start (for tests of what that first start makes).
   */
  static TestServer startOnBlankStore(Path root, Map<String, String> extraEnv) {
    Config config = config(root, extraEnv);
    return new TestServer(root, extraEnv, config, GooseServer.start(config));
  }

  /**
   * The settings that point a server at a fake OpenAI-format provider, plus {@code pairs} (name,
   * value, name, value, ...).
   */
  static Map<String, String> withProvider(
      goose.provider.fake.FakeOpenAiServer openai, String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_PROVIDER", "openai");
    env.put("OPENAI_HOST", openai.baseUri().toString());
    env.put("OPENAI_API_KEY", "sk-test");
    for (int i = 0; i + 1 < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    return env;
  }

  static Config config(Path root, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_PATH_ROOT", root.toString());
    env.put("GOOSE_PORT", "0");
    env.put("GOOSE_HOST", "127.0.0.1");
    // A title request after a first exchange would take the next scripted reply of a test's fake
    // provider: titles are on only where a test asks for them (GOOSE_SESSION_TITLES=true).
    env.put("GOOSE_SESSION_TITLES", "false");
    // Stopping pays no fixed delay for the test client's idle keep-alive connections.
    env.put("GOOSE_SHUTDOWN_IDLE_MS", "1");
    env.putAll(extraEnv);
    Path home = root.resolve("home");
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Config.load(env, home);
  }

  /** A new server on the same root and settings, as after a restart (call {@link #close} first). */
  TestServer restart() {
    return new TestServer(root, extraEnv, config, GooseServer.start(config));
  }

  /**
   * A new server on the same root and settings and on the same port, as after a restart of a server
   * at a fixed address: a client's URLs stay valid (call {@link #close} first; Jetty binds with
   * SO_REUSEADDR, so a port just closed binds again at once).
   */
  TestServer restartOnSamePort() {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("GOOSE_PORT", String.valueOf(server.port()));
    Config samePort = config(root, env);
    return new TestServer(root, env, samePort, GooseServer.start(samePort));
  }

  /** Creates a session named {@code name} working in {@code cwd}; its id. */
  String createSession(Path cwd, String name) {
    return client
        .post(
            "/sessions",
            "{\"cwd\":" + Json.write(cwd.toString()) + ",\"name\":" + Json.write(name) + "}")
        .json()
        .get("id")
        .asText();
  }

  @Override
  public void close() {
    server.close();
  }
}

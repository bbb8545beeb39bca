package goose.server;

import goose.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs goosed in its own JVM for the SIGTERM test, writing the chosen port to {@code
 * $GOOSE_PATH_ROOT/port}.
 */
public final class ServerMainForTests {
  private ServerMainForTests() {}

  public static void main(String[] args) throws Exception {
    GooseServer server = GooseServer.start(Config.fromEnvironment());
    Path root = Path.of(System.getenv("GOOSE_PATH_ROOT"));
    Files.writeString(root.resolve("port.tmp"), String.valueOf(server.port()));
    Files.move(root.resolve("port.tmp"), root.resolve("port"));
    server.awaitTermination();
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config.yaml the server may not write (as a Kubernetes ConfigMap mounts it): every extension
 * change answers a clear 409 naming the file, never a 500, and changes nothing.
 */
class ReadOnlyConfigTest {
  @TempDir Path root;

  @Test
  void extensionChangesAnswer409NamingTheFileAndChangeNothing() throws Exception {
    Path configFile = root.resolve("config/config.yaml");
    Files.createDirectories(configFile.getParent());
    Files.writeString(
        configFile,
        """
        extensions:
          fetcher:
            type: streamable_http
            uri: http://127.0.0.1:9/mcp
            enabled: false
        """);
    Files.setPosixFilePermissions(configFile, PosixFilePermissions.fromString("r--r--r--"));
    try (TestServer goosed = TestServer.start(root, Map.of())) {
      ApiClient api = goosed.client;
      String before = api.get("/extensions").body();

      String message =
          api.post(
                  "/extensions",
                  "{\"name\":\"other\",\"type\":\"streamable_http\",\"uri\":\"http://127.0.0.1:9/x\",\"enabled\":false}")
              .error(409, "conflict");
      assertThat(message).contains(configFile.toString()).contains("read-only");
      assertThat(api.post("/extensions/fetcher/enable", "{}").error(409, "conflict"))
          .contains(configFile.toString());
      assertThat(api.post("/extensions/todo/disable", "{}").error(409, "conflict"))
          .contains(configFile.toString());
      assertThat(api.delete("/extensions/fetcher").error(409, "conflict"))
          .contains(configFile.toString());

      assertThat(api.get("/extensions").body()).isEqualTo(before);
      assertThat(Files.readString(configFile)).contains("fetcher").doesNotContain("other");
    }
  }
}

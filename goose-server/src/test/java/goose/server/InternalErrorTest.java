package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A failure nobody planned for (here: the database is gone) is a JSON 500 without details; the log
 * has them.
 */
// Reads the log of a server started in this JVM: logback is one per JVM, and every in-process
// server start resets it, so no other class runs beside this one.
@Isolated
class InternalErrorTest {
  @TempDir Path root;

  @Test
  void anUnexpectedFailureIsAJson500WithoutAStackTrace() throws Exception {
    try (TestServer server = TestServer.start(root)) {
      server.server.context().sessions().close();
      ApiClient.Response r = server.client.get("/sessions");
      assertThat(r.error(500, "internal")).isEqualTo("internal server error");
      assertThat(r.body()).doesNotContain("at ").doesNotContain("Hikari").doesNotContain("sqlite");
      assertThat(server.client.get("/status").status())
          .as("the server keeps serving")
          .isEqualTo(200);
    }
    try (Stream<Path> files = Files.list(root.resolve("state/logs"))) {
      String log = Files.readString(files.findFirst().orElseThrow());
      assertThat(log).contains("unexpected error in GET /sessions").contains("\tat ");
    }
  }
}

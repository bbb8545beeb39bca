package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real server writes is its own user's only: the data directory, the session store with its
 * WAL and shared-memory files, the logs; and what an earlier version left open is tightened.
 */
@Timeout(60)
class PrivateFilesTest {
  @TempDir Path root;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void theStoreTheLogsAndTheDataDirectoryAreCreatedPrivate() throws Exception {
    try (TestServer server = TestServer.startOnBlankStore(root, Map.of())) {
      server.client.post("/sessions", "{\"cwd\":\"" + root + "\"}").json();
      var paths = server.config.paths();
      Path db = paths.sessionsDir().resolve("sessions.db");
      assertThat(mode(paths.dataDir())).isEqualTo("rwx------");
      assertThat(mode(paths.sessionsDir())).isEqualTo("rwx------");
      assertThat(mode(db)).isEqualTo("rw-------");
      assertThat(mode(Path.of(db + "-wal"))).isEqualTo("rw-------");
      assertThat(mode(Path.of(db + "-shm"))).isEqualTo("rw-------");
      assertThat(mode(paths.logsDir())).isEqualTo("rwx------");
      try (var logs = Files.list(paths.logsDir())) {
        for (Path log : logs.toList())
          assertThat(mode(log)).as(log.toString()).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void filesLeftOpenByAnEarlierVersionAreTightened() throws Exception {
    var paths = TestServer.config(root, Map.of()).paths();
    Path db = paths.sessionsDir().resolve("sessions.db");
    try (TestServer first = TestServer.start(root, Map.of())) {
      first.client.post("/sessions", "{\"cwd\":\"" + root + "\"}").json();
    }
    var open = PosixFilePermissions.fromString("rw-r--r--");
    Files.setPosixFilePermissions(paths.dataDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        paths.sessionsDir(), PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(db, open);
    Files.setPosixFilePermissions(paths.logsDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
    try (TestServer again = TestServer.start(root, Map.of())) {
      assertThat(again.client.get("/sessions").json().get("sessions")).hasSize(1);
      assertThat(mode(paths.dataDir())).isEqualTo("rwx------");
      assertThat(mode(paths.sessionsDir())).isEqualTo("rwx------");
      assertThat(mode(db)).isEqualTo("rw-------");
      assertThat(mode(paths.logsDir())).isEqualTo("rwx------");
    }
  }
}

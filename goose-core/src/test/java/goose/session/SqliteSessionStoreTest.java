package goose.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real SQLite file, plus what only SQLite has: the file and its WAL mode. */
class SqliteSessionStoreTest extends SessionStoreContract {
  @TempDir Path dir;
  private int databases;

  @Override
  protected Database newDatabase() {
    Path file = dir.resolve("db" + (++databases)).resolve("sessions.db");
    return () -> {
      try {
        Files.createDirectories(file.getParent());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return SessionStores.openSqlite(file);
    };
  }

  @Test
  void theDatabaseIsOneFileInWalMode() throws Exception {
    Path file = dir.resolve("db" + databases).resolve("sessions.db");
    create(ALICE, "on disk");
    assertThat(file).isRegularFile();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void twoStoresOnOneFileSeeEachOthersWrites() {
    Path file = dir.resolve("db" + databases).resolve("sessions.db");
    try (SessionStore second = SessionStores.openSqlite(file)) {
      Session s = second.create(new NewSession(ALICE, "from the second", Path.of("/tmp")));
      assertThat(store.get(ALICE, s.id())).isPresent();
      store.appendMessage(s.id(), goose.conversation.Message.user("from the first"));
      assertThat(second.conversation(s.id())).hasSize(1);
      assertThat(second.list(ALICE, new SessionQuery(10, Optional.empty(), Optional.empty())).items()).hasSize(1);
    }
  }
}

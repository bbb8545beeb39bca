package goose.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The locks of one SQLite store in one process (the cross-process cases run as real processes in
 * goose-cli's StoreLockTest and SharedSqliteStoreTest): one server, any number of runners beside
 * it, and the sole hold of a migration excluding both.
 */
class StoreLockRolesTest {
  @TempDir Path dir;

  @Test
  void runnersShareTheStoreWithOneServerAndASoleHoldExcludesThemAll() {
    Path db = dir.resolve("sessions.db");
    StoreLock server = StoreLock.server(db);
    StoreLock editor = StoreLock.runner(db);
    StoreLock another = StoreLock.runner(db);
    assertThatThrownBy(() -> StoreLock.server(db))
        .isInstanceOf(StoreInUseException.class)
        .hasMessageContaining("already in use by pid " + ProcessHandle.current().pid());
    assertThatThrownBy(() -> StoreLock.sole(db)).isInstanceOf(StoreInUseException.class);
    server.close();
    another.close();
    assertThatThrownBy(() -> StoreLock.sole(db))
        .as("one runner is left")
        .isInstanceOf(StoreInUseException.class)
        .hasMessageContaining("goose acp");
    editor.close();

    StoreLock migration = StoreLock.sole(db);
    assertThatThrownBy(() -> StoreLock.runner(db)).isInstanceOf(StoreInUseException.class);
    assertThatThrownBy(() -> StoreLock.server(db)).isInstanceOf(StoreInUseException.class);
    migration.close();

    StoreLock again = StoreLock.server(db);
    assertThat(StoreLock.holder(db)).contains("pid " + ProcessHandle.current().pid());
    again.close();
  }
}

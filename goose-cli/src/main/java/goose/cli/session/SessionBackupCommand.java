package goose.cli.session;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.session.StoreBackup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code goose session backup FILE}: a consistent copy of the store, safe while goosed runs. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Copy the SQLite store to FILE (a new file) with SQLite's online backup (VACUUM INTO): one consistent",
      "moment of the store, safe while goosed runs and writes. Never copy sessions.db with cp while goosed runs:",
      "recent writes live in sessions.db-wal. Restore: stop goosed, put FILE in place of sessions.db (remove",
      "sessions.db-wal and sessions.db-shm), start goosed; see docs/storage.md.",
      "With GOOSE_DATABASE_URL (PostgreSQL) it prints the pg_dump command to run instead and exits 1."
    })
public final class SessionBackupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The backup file to create (must not exist).")
  Path file;

  @Override
  public Integer call() {
    StoreBackup.Result result = StoreBackup.backup(GooseCommand.of(spec).config(), file);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return switch (result) {
      case StoreBackup.Result.Copied c -> {
        out.printf(
            "backed up %s to %s: %d sessions, %d messages, %d bytes%n",
            c.source(), c.target(), c.sessions(), c.messages(), c.bytes());
        yield ExitCodes.OK;
      }
      case StoreBackup.Result.UsePgDump pg -> {
        err.println(
            "the store is PostgreSQL (GOOSE_DATABASE_URL): back it up with pg_dump, which is safe while"
                + " goosed runs; give the password in PGPASSWORD or ~/.pgpass. No backup was made.");
        err.println("restore into an empty database with: " + pg.restoreCommand());
        out.println(pg.command());
        yield ExitCodes.FAILURE;
      }
    };
  }
}

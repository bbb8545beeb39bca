package goose.cli.session;

import picocli.CommandLine.Command;

/**
 * {@code goose session ...}: list, export and import sessions, show what a session's next model
 * call would send, back up the store, and move a SQLite store to PostgreSQL. None of them needs
 * goosed stopped except {@code migrate}, which takes the store's lock (a running server refuses
 * it).
 */
@Command(
    name = "session",
    mixinStandardHelpOptions = true,
    description = {
      "Work on the configured session store directly (SQLite in the data directory, or GOOSE_DATABASE_URL).",
      "Sessions belong to a user; without authentication that is 'local' (--user picks another)."
    },
    subcommands = {
      SessionListCommand.class,
      SessionExportCommand.class,
      SessionPromptCommand.class,
      SessionImportCommand.class,
      SessionMigrateCommand.class,
      SessionBackupCommand.class
    })
public final class SessionCommand implements java.util.concurrent.Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** {@code goose session} alone: its usage, exit 2. */
  @Override
  public Integer call() {
    return goose.cli.GooseCommand.usage(spec);
  }
}

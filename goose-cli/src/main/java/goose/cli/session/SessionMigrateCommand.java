package goose.cli.session;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.session.StoreLock;
import goose.session.StoreMigration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code goose session migrate --to postgresql://...}: move the whole SQLite store into an empty
 * PostgreSQL database.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Copy the whole SQLite store (every table: sessions, messages, events, turns, ...) into an empty PostgreSQL",
      "database, in one transaction, then compare the row counts. A target that already holds data is refused;",
      "a failed run leaves it empty, so simply run again. Stop goosed first (a running one holds the store: refused).",
      "Afterwards set GOOSE_DATABASE_URL to the target."
    })
public final class SessionMigrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "URL",
      description = "postgresql://user:pass@host:5432/db (or jdbc:postgresql:...).")
  String to;

  @Option(
      names = "--from",
      paramLabel = "FILE",
      description = "The SQLite file (default: the data directory's sessions/sessions.db).")
  Optional<Path> from = Optional.empty();

  @Override
  public Integer call() {
    Path source =
        from.orElseGet(
            () -> GooseCommand.of(spec).config().paths().sessionsDir().resolve("sessions.db"));
    PrintWriter err = spec.commandLine().getErr();
    ProgressBar bar = new ProgressBar(err);
    if (!java.nio.file.Files.isRegularFile(source))
      throw new IllegalArgumentException("no SQLite store at " + source);
    StoreMigration.Result result;
    // Held for the copy: a server writing meanwhile would lose its later writes in the target.
    try (StoreLock lock = StoreLock.acquire(source)) {
      result = StoreMigration.sqliteToPostgres(source, to, bar);
    }
    bar.finish();
    PrintWriter out = spec.commandLine().getOut();
    for (Map.Entry<String, Long> e : result.rowsPerTable().entrySet())
      out.printf("%-24s %10d rows%n", e.getKey(), e.getValue());
    out.printf("migrated %d rows from %s; row counts verified%n", result.totalRows(), source);
    return ExitCodes.OK;
  }
}

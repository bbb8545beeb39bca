package goose.cli.session;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.session.StoreLock;
import goose.session.StoreMigration;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code goose session migrate --to postgresql://...}: move the whole SQLite store into an empty
 * PostgreSQL database. The target's password never comes from the command line, where every user of
 * the machine can read it ({@code ps}, {@code /proc/PID/cmdline}): it is read from {@code
 * --password-file}, else {@code GOOSE_MIGRATE_PASSWORD}, else libpq's {@code PGPASSWORD}.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Copy the whole SQLite store (every table: sessions, messages, events, turns, ...) into an empty PostgreSQL",
      "database, in one transaction, then compare the row counts. A target that already holds data is refused;",
      "a failed run leaves it empty, so simply run again. Stop goosed first (a running one holds the store: refused).",
      "Afterwards set GOOSE_DATABASE_URL to the target.",
      "The password is never taken from the command line (other users can read it there): give it with",
      "--password-file, or the environment variable GOOSE_MIGRATE_PASSWORD (or PGPASSWORD)."
    })
public final class SessionMigrateCommand implements Callable<Integer> {
  static final String PASSWORD_ENV = "GOOSE_MIGRATE_PASSWORD";

  @Spec CommandSpec spec;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "URL",
      description =
          "postgresql://user@host:5432/db (or jdbc:postgresql:...), without the password.")
  String to;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "A file whose first line is the target's password.")
  Optional<Path> passwordFile = Optional.empty();

  @Option(
      names = "--from",
      paramLabel = "FILE",
      description = "The SQLite file (default: the data directory's sessions/sessions.db).")
  Optional<Path> from = Optional.empty();

  @Override
  public Integer call() throws IOException {
    boolean inUrl;
    try {
      inUrl = StoreMigration.carriesPassword(to);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--to " + e.getMessage());
    }
    if (inUrl) {
      throw new ParameterException(
          spec.commandLine(),
          "--to carries a password, which every user of this machine can read in the process list:"
              + " leave it out of the URL and give it with --password-file FILE or "
              + PASSWORD_ENV
              + " (or PGPASSWORD)");
    }
    Path source =
        from.orElseGet(
            () -> GooseCommand.of(spec).config().paths().sessionsDir().resolve("sessions.db"));
    PrintWriter err = spec.commandLine().getErr();
    ProgressBar bar = new ProgressBar(err);
    if (!java.nio.file.Files.isRegularFile(source))
      throw new IllegalArgumentException("no SQLite store at " + source);
    StoreMigration.Result result;
    // Held for the copy: a server or goose acp writing meanwhile would lose writes in the target.
    StoreLock lock = StoreLock.sole(source);
    try (lock) {
      result = StoreMigration.sqliteToPostgres(source, to, password(), bar);
    }
    bar.finish();
    PrintWriter out = spec.commandLine().getOut();
    for (Map.Entry<String, Long> e : result.rowsPerTable().entrySet())
      out.printf("%-24s %10d rows%n", e.getKey(), e.getValue());
    out.printf("migrated %d rows from %s; row counts verified%n", result.totalRows(), source);
    return ExitCodes.OK;
  }

  private Optional<String> password() throws IOException {
    if (passwordFile.isPresent()) {
      String first =
          Files.readString(passwordFile.get(), StandardCharsets.UTF_8)
              .lines()
              .findFirst()
              .orElse("");
      if (first.isEmpty())
        throw new ParameterException(
            spec.commandLine(), "--password-file " + passwordFile.get() + " is empty");
      return Optional.of(first);
    }
    Map<String, String> env = GooseCommand.of(spec).environment().env();
    return Optional.ofNullable(env.get(PASSWORD_ENV))
        .or(() -> Optional.ofNullable(env.get("PGPASSWORD")))
        .filter(p -> !p.isEmpty());
  }
}

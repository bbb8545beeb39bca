package goose.cli.session;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.session.Page;
import goose.session.Session;
import goose.session.SessionQuery;
import goose.session.SessionStore;
import goose.session.SessionStores;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code goose session list}: the user's sessions, most recently updated first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List sessions, most recently updated first.")
public final class SessionListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SessionOwner owner;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Show at most N sessions (default: all).")
  int limit = Integer.MAX_VALUE;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    goose.config.Config config = GooseCommand.of(spec).config();
    String ownerId = owner.resolve(config).id();
    try (SessionStore store = SessionStores.open(config)) {
      out.printf("%-36s  %-20s  %8s  %s%n", "ID", "UPDATED", "MESSAGES", "NAME");
      Optional<String> cursor = Optional.empty();
      int shown = 0;
      do {
        Page<Session> page =
            store.list(
                ownerId,
                new SessionQuery(
                    Math.min(SessionQuery.MAX_LIMIT, limit - shown), cursor, Optional.empty()));
        for (Session s : page.items()) {
          out.printf(
              "%-36s  %-20s  %8d  %s%n",
              s.id(), s.updatedAt().toString().substring(0, 19) + "Z", s.messageCount(), s.name());
          shown++;
        }
        cursor = page.nextCursor();
      } while (cursor.isPresent() && shown < limit);
    }
    return ExitCodes.OK;
  }
}

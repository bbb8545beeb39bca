package goose.cli.users;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.server.auth.Workspaces;
import goose.user.IssuedToken;
import goose.user.User;
import goose.user.UserExistsException;
import goose.user.UserStore;
import goose.user.UserStores;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code goose users add NAME [--admin] | list | remove NAME | rotate NAME}: the users of the
 * tokens auth mode. It writes the server's own database, so a running server sees every change at
 * once. A token is printed once, as the last line of {@code add} and {@code rotate}; only its hash
 * is stored.
 */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = {
      "Manage the users of GOOSE_AUTH=tokens (in the server's database; a running server sees changes at once).",
      "'add' and 'rotate' print the new token as the last line of their output: it is shown once and stored hashed."
    })
public final class UsersCommand implements Runnable {
  @Spec CommandSpec spec;

  /** {@code goose users} alone: say which subcommands there are. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing command: add, list, remove or rotate");
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Create a user and print its API token (last line).")
  int add(
      @Parameters(
              paramLabel = "NAME",
              description = "Letters, digits, '.', '_', '@', '-'; at most 64.")
          String name,
      @Option(names = "--admin", description = "May manage extensions and read the audit log.")
          boolean admin) {
    checkName(name);
    try (UserStore users = open()) {
      IssuedToken issued = users.add(name, admin);
      PrintWriter out = out();
      out.println(
          "added user "
              + name
              + (admin ? " (admin)" : "")
              + "; its token (shown only now, send it as 'Authorization: Bearer <token>'):");
      out.println(issued.token());
      return ExitCodes.OK;
    } catch (UserExistsException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List users (never their tokens).")
  int list() {
    try (UserStore users = open()) {
      List<User> all = users.list();
      PrintWriter out = out();
      if (all.isEmpty()) out.println("no users (add one with 'goose users add NAME')");
      for (User u : all) {
        out.println(
            u.name()
                + (u.admin() ? "  admin" : "  user")
                + "  token issued "
                + when(u.tokenCreatedAt()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = {
        "Remove a user; its token stops working at once, its running turns within 2 s.",
        "Its sessions stay, owned by its id: a later user of the same name gets a new id and sees",
        "none of them. With GOOSE_WORKSPACES_ROOT its workspace is moved to <root>/.removed/, so a",
        "later user of the same name starts with an empty one."
      })
  int remove(@Parameters(paramLabel = "NAME") String name) throws java.io.IOException {
    try (UserStore users = open()) {
      if (!users.remove(name)) return noSuchUser(name);
      out().println("removed user " + name);
    }
    Optional<java.nio.file.Path> moved =
        Workspaces.fromConfig(GooseCommand.of(spec).config()).retire(name);
    moved.ifPresent(p -> out().println("moved the workspace of " + name + " to " + p));
    return ExitCodes.OK;
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Give a user a new token (last line); the old one stops working at once.")
  int rotate(@Parameters(paramLabel = "NAME") String name) {
    try (UserStore users = open()) {
      Optional<IssuedToken> issued = users.rotate(name);
      if (issued.isEmpty()) return noSuchUser(name);
      out().println("new token for " + name + " (shown only now; the old one no longer works):");
      out().println(issued.get().token());
      return ExitCodes.OK;
    }
  }

  private UserStore open() {
    goose.config.Config config = GooseCommand.of(spec).config();
    String mode = config.get(goose.config.ConfigKey.AUTH.name(), "").strip();
    if (!mode.equalsIgnoreCase("tokens")) {
      spec.commandLine()
          .getErr()
          .println(
              "note: GOOSE_AUTH is "
                  + (mode.isEmpty() ? "not set" : mode)
                  + "; a server uses these users only with GOOSE_AUTH=tokens");
    }
    return UserStores.open(config);
  }

  private void checkName(String name) {
    try {
      goose.user.UserNames.check(name);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "invalid NAME: " + e.getMessage());
    }
  }

  private int noSuchUser(String name) {
    spec.commandLine().getErr().println("error: no user " + name + " (see 'goose users list')");
    return ExitCodes.FAILURE;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private static String when(java.time.Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}

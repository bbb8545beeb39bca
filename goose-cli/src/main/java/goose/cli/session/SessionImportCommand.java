package goose.cli.session;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.config.Config;
import goose.server.auth.Workspaces;
import goose.server.http.ApiException;
import goose.server.http.RequestUser;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.transfer.SessionDocument;
import goose.transfer.SessionTransfer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code goose session import FILE}: a new session from an exported document; prints its id. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Create a new session (new id) from a document written by 'goose session export' or GET /sessions/{id}/export."
            + " With GOOSE_WORKSPACES_ROOT its working directory must lie in the user's workspace.")
public final class SessionImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SessionOwner owner;

  @Parameters(paramLabel = "FILE", description = "The document, or - for stdin.")
  String file;

  @Option(
      names = "--cwd",
      paramLabel = "DIR",
      description = "Working directory of the new session (default: the exported one).")
  Optional<Path> cwd = Optional.empty();

  @Override
  public Integer call() throws IOException {
    String text =
        file.equals("-")
            ? new String(
                GooseCommand.of(spec).environment().in().readAllBytes(), StandardCharsets.UTF_8)
            : Files.readString(Path.of(file));
    SessionDocument doc = SessionTransfer.parse(text);
    Path dir =
        cwd.orElseGet(
            () -> Path.of(doc.session().workingDir() == null ? "" : doc.session().workingDir()));
    Config config = GooseCommand.of(spec).config();
    RequestUser user = owner.resolve(config);
    Workspaces workspaces = Workspaces.fromConfig(config);
    try {
      workspaces.workspaceOf(user); // a new user's workspace may be the --cwd
    } catch (ApiException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "working directory " + dir + " does not exist here; pass --cwd DIR");
    }
    Path realDir = dir.toRealPath();
    if (!workspaces.contains(user, realDir)) {
      throw new IllegalArgumentException(
          "the working directory "
              + realDir
              + " is outside the workspace of "
              + user.name()
              + " ("
              + workspaces.workspaceOf(user).orElseThrow()
              + ", GOOSE_WORKSPACES_ROOT): pass --cwd DIR inside it");
    }
    try (SessionStore store = SessionStores.open(config)) {
      Session created = SessionTransfer.importAs(store, user.id(), realDir, doc);
      spec.commandLine().getOut().println(created.id());
      spec.commandLine()
          .getErr()
          .println(
              "imported '"
                  + created.name()
                  + "': "
                  + doc.messages().size()
                  + " messages, "
                  + doc.events().size()
                  + " events");
    }
    return ExitCodes.OK;
  }
}

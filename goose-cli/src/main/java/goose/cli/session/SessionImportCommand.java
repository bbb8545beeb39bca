package goose.cli.session;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
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
        "Create a new session (new id) from a document written by 'goose session export' or GET /sessions/{id}/export.")
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
    if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "working directory " + dir + " does not exist here; pass --cwd DIR");
    }
    try (SessionStore store = SessionStores.open(GooseCommand.of(spec).config())) {
      Session created = SessionTransfer.importAs(store, owner.user, dir.toRealPath(), doc);
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

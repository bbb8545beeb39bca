package goose.cli.session;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.config.PrivateFiles;
import goose.json.Json;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.transfer.SessionTransfer;
import java.io.IOException;
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

/** {@code goose session export ID [-o FILE]}: the session as a self-contained JSON document. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Write a session (metadata, every message, its event log) as one JSON document, to stdout or a file.")
public final class SessionExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SessionOwner owner;

  @Parameters(paramLabel = "ID", description = "The session id.")
  String id;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE instead of stdout.")
  Optional<Path> output = Optional.empty();

  @Override
  public Integer call() throws IOException {
    String json;
    goose.config.Config config = GooseCommand.of(spec).config();
    try (SessionStore store = SessionStores.open(config)) {
      Session session = owner.session(config, store, id);
      json =
          Json.MAPPER
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(SessionTransfer.export(store, session));
    }
    if (output.isPresent()) {
      // The conversation and tool output: the user's only, like the store it comes from.
      Files.writeString(PrivateFiles.file(output.get()), json + "\n");
      spec.commandLine().getErr().println("exported session " + id + " to " + output.get());
    } else {
      spec.commandLine().getOut().println(json);
    }
    return ExitCodes.OK;
  }
}

package goose.cli;

import goose.server.GooseServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code goose openapi}: the OpenAPI 3.1 document of the HTTP API, as served at /openapi.json. */
@Command(
    name = "openapi",
    mixinStandardHelpOptions = true,
    description =
        "Print the OpenAPI 3.1 document of the HTTP API (the same one the server serves at /openapi.json).")
public final class OpenApiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String document = GooseServer.openApiJson();
    // Byte for byte what the server serves and the repository commits, ending in one newline.
    spec.commandLine().getOut().print(document.endsWith("\n") ? document : document + "\n");
    return ExitCodes.OK;
  }
}

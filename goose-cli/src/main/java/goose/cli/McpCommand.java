package goose.cli;

import goose.builtins.BuiltinServers;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code goose mcp NAME}: a built-in extension as a stand-alone MCP server on stdin/stdout. */
@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a built-in extension (developer, memory, todo) as an MCP server over stdio, until stdin closes.",
      "Any MCP client can use it, e.g. an extension with cmd: goose, args: [mcp, developer]."
    })
public final class McpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "One of: developer, memory, todo.")
  String name;

  @Override
  public Integer call() {
    if (!BuiltinServers.names().contains(name)) {
      throw new ParameterException(
          spec.commandLine(),
          "no built-in extension named '"
              + name
              + "' (choose from "
              + String.join(", ", BuiltinServers.names())
              + ")");
    }
    BuiltinServers.runStdio(name);
    return ExitCodes.OK;
  }
}

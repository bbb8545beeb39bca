package goose.cli;

import goose.acp.stdio.StdioTransport;
import goose.config.Config;
import goose.server.LocalServices;
import goose.server.http.RequestUser;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code goose acp}: the Agent Client Protocol on stdio for editors (Zed, JetBrains, Neovim, acpx),
 * on the same configuration, store, providers and extensions as {@code goose server}. Only protocol
 * messages go to stdout; logs go to stderr. Sessions belong to the local user.
 */
@Command(
    name = "acp",
    mixinStandardHelpOptions = true,
    description = {
      "Run as an ACP agent on stdio (newline-delimited JSON-RPC; logs on stderr) until stdin ends.",
      "Same configuration, sessions, providers and extensions as 'goose server'."
    })
public final class AcpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin WithBuiltin builtins;

  @Override
  public Integer call() throws Exception {
    CliEnvironment env = GooseCommand.of(spec).environment();
    PrintStream protocol = env.out();
    if (protocol == System.out)
      System.setOut(System.err); // nothing else may reach the protocol stream
    Config config = GooseCommand.of(spec).config();
    config.validate();
    try (LocalServices services = LocalServices.open(config)) {
      builtins.enable(services.extensions());
      // the local user, who runs the server, administers it
      StdioTransport.serve(
          services.acp(), RequestUser.LOCAL.id(), RequestUser.LOCAL.admin(), env.in(), protocol);
    }
    return ExitCodes.OK;
  }
}

package goose.cli.configure;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.config.Config;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code goose configure unset KEY}: remove a setting from config.yaml and secrets.yaml. */
@Command(
    name = "unset",
    mixinStandardHelpOptions = true,
    description = "Remove KEY from config.yaml and secrets.yaml (exit code 1 when neither has it).")
public final class ConfigureUnsetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "KEY", description = "Setting name (case-insensitive).")
  String key;

  @Override
  public Integer call() {
    Config config = GooseCommand.of(spec).config();
    if (!config.unset(key)) {
      spec.commandLine()
          .getErr()
          .println(
              key
                  + " is not set in "
                  + config.paths().configFile()
                  + " or "
                  + config.paths().secretsFile());
      return ExitCodes.FAILURE;
    }
    spec.commandLine().getOut().println(key + " removed");
    RestartNote.print(config, key, spec.commandLine().getErr());
    return ExitCodes.OK;
  }
}

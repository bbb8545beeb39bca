package goose.cli.configure;

import picocli.CommandLine.Command;

/** {@code goose configure ...}: read and change the settings goosed runs with. */
@Command(
    name = "configure",
    mixinStandardHelpOptions = true,
    description = {
      "Show and change settings (config.yaml, secrets.yaml).",
      "Precedence: environment variable > config.yaml > secrets.yaml > default; a key k in config.yaml",
      "is overridden by the environment variable K (upper case).",
      "Secrets (API keys) live in secrets.yaml (mode 0600) beside config.yaml and are always masked."
    },
    subcommands = {
      ConfigureListCommand.class,
      ConfigureGetCommand.class,
      ConfigureSetCommand.class,
      ConfigureUnsetCommand.class,
      ConfigurePathsCommand.class
    })
public final class ConfigureCommand implements java.util.concurrent.Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return goose.cli.GooseCommand.usage(spec);
  }
}

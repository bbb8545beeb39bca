package goose.cli.configure;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.config.ConfigValue;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code goose configure get KEY}: the effective value of one setting. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Print the effective value of KEY (exit code 1 when it is not set). Secrets are masked unless --reveal."
    })
public final class ConfigureGetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "KEY",
      description = "Setting name, e.g. GOOSE_PORT or api_timeout (case-insensitive).")
  String key;

  @Option(
      names = "--reveal",
      description = "Print a secret's real value instead of the masked one.")
  boolean reveal;

  @Option(
      names = "--source",
      description = "Also print where the value comes from (env, file, secrets, default).")
  boolean source;

  @Override
  public Integer call() {
    Optional<ConfigValue> value = Unset.lookup(GooseCommand.of(spec).config(), key);
    if (value.isEmpty()) {
      spec.commandLine().getErr().println(key + " is not set");
      return ExitCodes.FAILURE;
    }
    ConfigValue v = value.get();
    String shown = reveal ? v.value() : v.display();
    spec.commandLine()
        .getOut()
        .println(source ? shown + "\t" + v.source().label() + "\t" + v.origin() : shown);
    return ExitCodes.OK;
  }
}

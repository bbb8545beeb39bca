package goose.cli.configure;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.config.ConfigValue;
import goose.json.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code goose configure list}: every effective setting, where it came from, secrets masked. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Print every effective setting with its source: env, file (config.yaml), secrets (secrets.yaml) or default.",
      "Secret values are masked."
    })
public final class ConfigureListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description =
          "Print a JSON array of {key, value, source, origin, secret} instead of a table.")
  boolean json;

  /** One row of the JSON output; values are the masked display form, never a raw secret. */
  record Row(String key, String value, String source, String origin, boolean secret) {
    static Row of(ConfigValue v) {
      return new Row(v.key(), v.display(), v.source().label(), v.origin(), v.secret());
    }
  }

  @Override
  public Integer call() {
    List<ConfigValue> values = GooseCommand.of(spec).config().effective();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(values.stream().map(Row::of).toList()));
      return ExitCodes.OK;
    }
    int keyWidth = Math.max(3, values.stream().mapToInt(v -> v.key().length()).max().orElse(0));
    int valueWidth =
        Math.min(
            60, Math.max(5, values.stream().mapToInt(v -> v.display().length()).max().orElse(0)));
    String format = "%-" + keyWidth + "s  %-" + valueWidth + "s  %s%n";
    out.printf(format, "KEY", "VALUE", "SOURCE");
    for (ConfigValue v : values) out.printf(format, v.key(), v.display(), v.source().label());
    return ExitCodes.OK;
  }
}

package goose.cli.configure;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.config.Config;
import goose.config.ConfigKey;
import goose.config.ConfigSource;
import goose.config.ConfigValue;
import goose.json.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
      "Every known setting is listed; one without a value shows (unset). Secret values are masked."
    })
public final class ConfigureListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description =
          "Print a JSON array of {key, value, source, origin, secret, set} instead of a table.")
  boolean json;

  /**
   * One row of the output; values are the masked display form, never a raw secret. A known key
   * without a value is a row too: value "(unset)", source default, set false.
   */
  record Row(String key, String value, String source, String origin, boolean secret, boolean set) {
    static Row of(ConfigValue v) {
      return new Row(v.key(), v.display(), v.source().label(), v.origin(), v.secret(), true);
    }

    static Row unset(ConfigKey key) {
      return new Row(
          key.name(), Unset.UNSET, ConfigSource.DEFAULT.label(), "default", key.secret(), false);
    }
  }

  @Override
  public Integer call() {
    Config config = GooseCommand.of(spec).config();
    Map<String, Row> rows = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (ConfigValue v : config.effective()) rows.put(v.key(), Row.of(v));
    for (ConfigKey key : ConfigKey.KNOWN) {
      if (!rows.containsKey(key.name()))
        rows.put(
            key.name(),
            Unset.lookup(config, key.name()).map(Row::of).orElseGet(() -> Row.unset(key)));
    }
    List<Row> values = List.copyOf(rows.values());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(values));
      return ExitCodes.OK;
    }
    int keyWidth = Math.max(3, values.stream().mapToInt(v -> v.key().length()).max().orElse(0));
    int valueWidth =
        Math.min(
            60, Math.max(5, values.stream().mapToInt(v -> v.value().length()).max().orElse(0)));
    String format = "%-" + keyWidth + "s  %-" + valueWidth + "s  %s%n";
    out.printf(format, "KEY", "VALUE", "SOURCE");
    for (Row v : values) out.printf(format, v.key(), v.value(), v.source());
    return ExitCodes.OK;
  }
}

package goose.cli.configure;

import goose.cli.CliEnvironment;
import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.config.Config;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code goose configure set KEY VALUE [--secret]}: persist a setting in config.yaml or
 * secrets.yaml.
 */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description = {
      "Write KEY: VALUE to config.yaml, or to secrets.yaml (mode 0600) with --secret.",
      "Secrets always go to secrets.yaml: the known secret keys, keys whose name marks one",
      "(*_KEY, *_TOKEN, *SECRET*, *PASSWORD*) and keys secrets.yaml already holds.",
      "With --secret and no VALUE, the value is read from the terminal (not echoed) or the first line of stdin,",
      "which keeps it out of the shell history."
    })
public final class ConfigureSetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "KEY",
      description = "Setting name, e.g. GOOSE_PORT, GOOSE_PROVIDER, OPENAI_API_KEY.")
  String key;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "VALUE",
      description = "The value (optional with --secret).")
  Optional<String> value;

  @Option(
      names = "--secret",
      description = "Store in secrets.yaml (mode 0600); the value is masked everywhere.")
  boolean secret;

  @Override
  public Integer call() throws IOException {
    GooseCommand root = GooseCommand.of(spec);
    Config config = root.config();
    if (config.node(key).filter(n -> !n.isValueNode()).isPresent()) {
      throw new ParameterException(
          spec.commandLine(),
          key + " is a structured setting: edit " + config.paths().configFile() + " instead");
    }
    boolean asSecret = secret || config.isSecret(key);
    String newValue = value.isPresent() ? value.get() : readSecret(root.environment(), asSecret);
    StartRules.check(config, key, newValue);
    PrintWriter out = spec.commandLine().getOut();
    if (asSecret) {
      config.setSecret(key, newValue);
      out.println(
          key + " stored in " + config.paths().secretsFile() + (secret ? "" : " (it is a secret)"));
    } else {
      config.set(key, newValue);
      out.println(key + " = " + newValue + " written to " + config.paths().configFile());
    }
    String envName = key.toUpperCase(Locale.ROOT);
    if (config.setByEnvironment(key)) {
      spec.commandLine()
          .getErr()
          .println(
              "note: the environment variable " + envName + " is set and overrides this value");
    }
    RestartNote.print(config, key, spec.commandLine().getErr());
    return ExitCodes.OK;
  }

  private String readSecret(CliEnvironment environment, boolean asSecret) throws IOException {
    if (!asSecret)
      throw new ParameterException(
          spec.commandLine(), "missing VALUE (only --secret reads it from stdin)");
    // Console.isTerminal() is JDK 22+ and the code targets 21. Where System.console() answers for
    // piped input too (some JDK 22-24 set-ups), readPassword still reads the piped line.
    @SuppressWarnings("SystemConsoleNull")
    Console console = System.console();
    if (console != null && environment.in() == System.in) {
      char[] typed = console.readPassword("%s: ", key);
      if (typed != null && typed.length > 0) return new String(typed);
    } else {
      String line =
          new BufferedReader(new InputStreamReader(environment.in(), StandardCharsets.UTF_8))
              .readLine();
      if (line != null && !line.isEmpty()) return line;
    }
    throw new ParameterException(spec.commandLine(), "no value given for " + key);
  }
}

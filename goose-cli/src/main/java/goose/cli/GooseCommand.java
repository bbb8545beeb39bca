package goose.cli;

import goose.cli.configure.ConfigureCommand;
import goose.cli.session.SessionCommand;
import goose.cli.users.UsersCommand;
import goose.config.Config;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The root command. A new command is one class added to {@code subcommands}; it reaches the
 * injected environment and the configuration through {@link #of(CommandSpec)}.
 */
@Command(
    name = "goose",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "goosed: an AI agent session server (REST + Server-Sent Events, and ACP) and its command line.",
    subcommands = {
      ServerCommand.class,
      ServeCommand.class,
      AcpCommand.class,
      ConfigureCommand.class,
      SessionCommand.class,
      UsersCommand.class,
      OpenApiCommand.class,
      McpCommand.class,
      HelpPath.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  1  run-time failure: another server holds the SQLite store, a file",
      "     cannot be written, configure get of an unset key",
      "  2  wrong usage, invalid configuration, or a taken address to listen on",
      "",
      "Configuration: environment variable > config.yaml > default; see 'goose configure --help'."
    })
public final class GooseCommand implements java.util.concurrent.Callable<Integer> {
  private final CliEnvironment environment;
  private @Nullable Config config;

  @Spec CommandSpec spec;

  GooseCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  /** The root command of the tree {@code spec} belongs to. */
  public static GooseCommand of(CommandSpec spec) {
    return (GooseCommand) spec.root().userObject();
  }

  public CliEnvironment environment() {
    return environment;
  }

  /**
   * The configuration, loaded once per command line; throws {@link goose.config.ConfigException}.
   */
  public synchronized Config config() {
    if (config == null) config = environment.loadConfig();
    return config;
  }

  /** {@code goose} alone: show what it can do (on stderr, since no command ran). */
  @Override
  public Integer call() {
    return usage(spec);
  }

  /** Prints the usage of a command that needs a subcommand and returns the usage exit code. */
  public static int usage(CommandSpec spec) {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}

package goose.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code goose help [COMMAND...]}: the usage of goose or of a command at any depth ({@code goose
 * help session backup}). picocli's own help command takes one name and silently showed the usage of
 * {@code session} for that line.
 */
@Command(
    name = "help",
    helpCommand = true,
    description = "Show the usage of goose or of a command: goose help session backup")
final class HelpPath implements IHelpCommandInitializable2, Runnable {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean helpRequested;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command and its subcommands")
  List<String> names = new ArrayList<>();

  private @Nullable CommandLine self;
  private @Nullable PrintWriter out;
  private Help.ColorScheme colors = Help.defaultColorScheme(Help.Ansi.OFF);

  @Override
  public void init(
      CommandLine helpCommandLine,
      Help.ColorScheme colorScheme,
      PrintWriter outWriter,
      PrintWriter errWriter) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = outWriter;
  }

  @Override
  public void run() {
    CommandLine help = java.util.Objects.requireNonNull(self, "init");
    CommandLine target = java.util.Objects.requireNonNull(help.getParent(), "a subcommand");
    for (String name : names) {
      CommandLine sub = target.getSubcommands().get(name);
      if (sub == null)
        throw new CommandLine.ParameterException(
            help,
            "'"
                + String.join(" ", target.getCommandSpec().qualifiedName(" "), name)
                + "' is not a command; see '"
                + target.getCommandSpec().qualifiedName(" ")
                + " --help'");
      target = sub;
    }
    target.usage(java.util.Objects.requireNonNull(out, "init"), colors);
  }
}

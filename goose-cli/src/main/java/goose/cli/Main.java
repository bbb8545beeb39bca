package goose.cli;

import goose.config.ConfigException;
import goose.error.ErrorMessages;
import goose.server.StartupPreinit;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of {@code goose} (and {@code goosed}, which is {@code goose server}). Failures become
 * one line on stderr and an exit code from {@link ExitCodes}: a person sees what to fix, not a
 * stack trace.
 */
public final class Main {
  private static final String SERVER = "server";

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(CliEnvironment.system(), args));
  }

  /** Runs one command line and returns its exit code; never calls {@code System.exit}. */
  public static int run(CliEnvironment environment, String... args) {
    PrintWriter out =
        new PrintWriter(
            new java.io.OutputStreamWriter(environment.out(), StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(
            new java.io.OutputStreamWriter(environment.err(), StandardCharsets.UTF_8), true);
    if (args.length == 1 && args[0].equals(SERVER)) return serve(environment, err);
    CommandLine commandLine = commandLine(environment);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(Main::usageError);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> failure(e, cmd.getErr(), environment));
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * {@code goose server} with no options, which is what {@code bin/goosed} runs: started without
   * building picocli's command tree. picocli's classes are Java 5 class files, which neither the
   * AOT cache nor a class-data archive can hold, so the tree cost every server start its ~175
   * classes loaded from the jar and verified, plus the reflection over every command's annotations
   * (docs/benchmarks.md, start-up). The same command, exit code and error lines as through picocli.
   */
  private static int serve(CliEnvironment environment, PrintWriter err) {
    StartupPreinit.inBackground();
    try {
      return ServerCommand.serve(environment.loadConfig());
    } catch (Exception e) {
      return failure(e, err, environment);
    } finally {
      err.flush();
    }
  }

  /** The command tree; {@link GooseCommand} lists the subcommands. */
  static CommandLine commandLine(CliEnvironment environment) {
    return new CommandLine(new GooseCommand(environment))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setUsageHelpAutoWidth(true);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + oneLine(ErrorMessages.of(e)));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    return ExitCodes.USAGE;
  }

  private static int failure(Exception e, PrintWriter err, CliEnvironment environment) {
    Optional<ConfigException> config = configProblem(e);
    if (config.isPresent()) {
      err.println("error: " + oneLine(ErrorMessages.of(config.get())));
      return ExitCodes.USAGE;
    }
    err.println("error: " + oneLine(ErrorMessages.of(e)));
    if (isTrue(environment.env().get("GOOSE_CLI_TRACE"))) e.printStackTrace(err);
    return ExitCodes.FAILURE;
  }

  private static Optional<ConfigException> configProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException c) return Optional.of(c);
    }
    return Optional.empty();
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  private static boolean isTrue(@Nullable String value) {
    return value != null
        && switch (value.trim().toLowerCase(Locale.ROOT)) {
          case "1", "true", "yes", "on" -> true;
          default -> false;
        };
  }
}

package goose.cli.configure;

import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.config.GoosePaths;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code goose configure paths}: where the files are, as resolved from this environment. */
@Command(
    name = "paths",
    mixinStandardHelpOptions = true,
    description = {
      "Print the directories and files goose uses, resolved from GOOSE_CONFIG_DIR, GOOSE_PATH_ROOT,",
      "XDG_CONFIG_HOME / XDG_DATA_HOME / XDG_STATE_HOME and the home directory."
    })
public final class ConfigurePathsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    GoosePaths paths =
        GoosePaths.resolve(
            GooseCommand.of(spec).environment().env(), GooseCommand.of(spec).environment().home());
    PrintWriter out = spec.commandLine().getOut();
    out.println("config_dir    " + paths.configDir());
    out.println("config_file   " + paths.configFile());
    out.println("secrets_file  " + paths.secretsFile());
    out.println("data_dir      " + paths.dataDir());
    out.println("sessions_dir  " + paths.sessionsDir());
    out.println("state_dir     " + paths.stateDir());
    out.println("logs_dir      " + paths.logsDir());
    return ExitCodes.OK;
  }
}

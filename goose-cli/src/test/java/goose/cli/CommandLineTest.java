package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
  @TempDir Path home;

  private CliRun cli() {
    return new CliRun(home);
  }

  /** Every command path of the tree, e.g. [], [server], [configure, set]. */
  private List<List<String>> allCommandPaths() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(CliEnvironment.system()), new ArrayList<>(), paths);
    return paths;
  }

  private static void collect(CommandLine command, List<String> prefix, List<List<String>> into) {
    into.add(List.copyOf(prefix));
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().name().equals(name)) return; // aliases
              List<String> next = new ArrayList<>(prefix);
              next.add(name);
              collect(sub, next, into);
            });
  }

  @Test
  void rootHelpListsTheCommandsAndExitCodes() {
    CliRun.Result result = cli().run("--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("Usage: goose")
        .contains("server")
        .contains("configure")
        .contains("openapi")
        .contains("Exit codes:")
        // As the code exits and docs/configuration.md says: a taken address is 2, not 1.
        .contains("  1  run-time failure: another server holds the SQLite store, a file")
        .contains("  2  wrong usage, invalid configuration, or a taken address to listen on");
  }

  @Test
  void everyCommandAnswersHelpWithItsUsageAndExitZero() {
    List<List<String>> paths = allCommandPaths();
    assertThat(paths)
        .contains(
            List.of("server"),
            List.of("openapi"),
            List.of("mcp"),
            List.of("configure", "list"),
            List.of("configure", "get"),
            List.of("configure", "set"));

    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliRun.Result result = cli().run(args.toArray(String[]::new));

      assertThat(result.exitCode()).as("exit code of %s", args).isZero();
      assertThat(result.out())
          .as("help of %s", args)
          .contains("Usage: " + String.join(" ", prepend("goose", path)) + " [");
      assertThat(result.err()).as("stderr of %s", args).isEmpty();
    }
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  @Test
  void helpCommandShowsTheHelpOfAnotherCommand() {
    CliRun.Result result = cli().run("help", "configure");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("Usage: goose configure");
    // At any depth; picocli's own help command showed 'session' for this line.
    CliRun.Result nested = cli().run("help", "session", "backup");
    assertThat(nested.exitCode()).isZero();
    assertThat(nested.out()).startsWith("Usage: goose session backup");
    CliRun.Result unknown = cli().run("help", "session", "bakcup");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("'goose session bakcup' is not a command");
    assertThat(cli().run("help").out()).startsWith("Usage: goose");
  }

  @Test
  void openapiPrintsTheDocumentTheServerServes() throws Exception {
    CliRun.Result result = cli().run("openapi");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo(goose.server.GooseServer.openApiJson().stripTrailing() + "\n");
    assertThat(goose.json.Json.MAPPER.readTree(result.out()).get("openapi").asText())
        .startsWith("3.1");
  }

  @Test
  void versionPrintsTheProjectVersion() {
    CliRun.Result result = cli().run("--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("goose ").doesNotContain("unknown").doesNotContain("${");
  }

  @Test
  void unknownCommandIsAUsageErrorWithASuggestion() {
    CliRun.Result result = cli().run("servre");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("'servre'").contains("goose server").contains("goose --help");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun.Result result = cli().run("configure", "list", "--colour");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--colour").contains("goose configure list --help");
  }

  @Test
  void noCommandAtAllShowsTheUsageAndIsAUsageError() {
    CliRun.Result bare = cli().run();
    assertThat(bare.exitCode()).isEqualTo(2);
    assertThat(bare.err()).startsWith("Usage: goose").contains("configure");

    CliRun.Result configure = cli().run("configure");
    assertThat(configure.exitCode()).isEqualTo(2);
    assertThat(configure.err())
        .startsWith("Usage: goose configure")
        .contains("list")
        .contains("set");
  }

  @Test
  void unknownBuiltinExtensionIsAUsageError() {
    CliRun.Result result = cli().run("mcp", "browser");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("'browser'").contains("developer, memory, todo");
  }

  @Test
  void missingArgumentIsAUsageError() {
    CliRun.Result result = cli().run("configure", "get");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("KEY");
  }
}

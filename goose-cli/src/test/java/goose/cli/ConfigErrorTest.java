package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken configuration stops every command with one line naming file, key and problem, and exit
 * 2.
 */
class ConfigErrorTest {
  @TempDir Path home;

  private CliRun cli() {
    return new CliRun(home);
  }

  private void writeConfig(String yaml) throws IOException {
    Files.createDirectories(cli().configFile().getParent());
    Files.writeString(cli().configFile(), yaml);
  }

  private static void assertOneLineError(CliRun.Result result) {
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err())
        .startsWith("error: ")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void brokenYamlStopsTheServerWithTheFileAndLine() throws IOException {
    writeConfig("GOOSE_PORT: 3000\nGOOSE_MODEL: [oops\n");

    CliRun.Result result = cli().run("server");

    assertOneLineError(result);
    assertThat(result.err())
        .contains(cli().configFile().toString())
        .contains("invalid YAML (line ");
  }

  @Test
  void brokenYamlStopsConfigureToo() throws IOException {
    writeConfig("a: b\n  c: d\n");

    CliRun.Result result = cli().run("configure", "list");

    assertOneLineError(result);
    assertThat(result.err())
        .isEqualTo(
            "error: "
                + cli().configFile()
                + ": invalid YAML (line 2, column 4): mapping values are not allowed here\n");
  }

  @Test
  void nonNumericPortInTheEnvironmentStopsTheServer() {
    CliRun.Result result = cli().env("GOOSE_PORT", "abc").run("server");

    assertOneLineError(result);
    assertThat(result.err())
        .isEqualTo("error: environment variable GOOSE_PORT: must be a whole number, got \"abc\"\n");
  }

  @Test
  void hostAndPortOnTheCommandLineWinOverTheEnvironment() throws IOException {
    // A taken port: the start fails at once, naming the address it was told to listen on.
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());
      for (String command : List.of("server", "serve")) {
        CliRun.Result result =
            cli()
                .env("GOOSE_PORT", "abc")
                .env("GOOSE_HOST", "256.1.1.1")
                .run(command, "--host", "127.0.0.1", "--port", port);
        assertOneLineError(result);
        assertThat(result.err())
            .as(command)
            .startsWith("error: cannot listen on 127.0.0.1:" + port);
      }
    }
    assertThat(cli().run("server", "--help").out()).contains("--host", "--port");
    // A bad value on the command line is named as the option, not as the variable it stands for.
    CliRun.Result range = cli().run("server", "--port", "70000");
    assertThat(range.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(range.err()).contains("--port must be between 0 and 65535, got 70000");
    assertThat(range.err()).doesNotContain("environment variable");
  }

  @Test
  void bareServerStartedWithoutPicocliFailsExactlyAsThroughIt() throws IOException {
    writeConfig("GOOSE_PORT: abc\n");

    // "server" alone takes Main's direct path; "server --" goes through picocli's command tree.
    CliRun.Result direct = cli().run("server");
    CliRun.Result throughPicocli = cli().run("server", "--");

    assertOneLineError(direct);
    assertThat(direct).isEqualTo(throughPicocli);
  }

  @Test
  void nonNumericPortInTheFileNamesTheFileAndTheKey() throws IOException {
    writeConfig("GOOSE_PORT: abc\n");

    CliRun.Result result = cli().run("server");

    assertOneLineError(result);
    assertThat(result.err())
        .isEqualTo(
            "error: " + cli().configFile() + ": GOOSE_PORT: must be a whole number, got \"abc\"\n");
  }

  @Test
  void outOfRangeTimeoutStopsTheServer() {
    CliRun.Result result = cli().env("API_TIMEOUT", "-5").run("server");

    assertOneLineError(result);
    assertThat(result.err()).contains("API_TIMEOUT").contains("must be between");
  }

  @Test
  void pathsStillWorkWithABrokenFileSoPeopleCanFindIt() throws IOException {
    writeConfig(": : :\n");

    CliRun.Result result = cli().run("configure", "paths");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains(cli().configFile().toString());
  }
}

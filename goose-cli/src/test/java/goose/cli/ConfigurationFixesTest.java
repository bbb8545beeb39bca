package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration as deployments set it: Compose writes {@code KEY: ""}, containers run with a $HOME
 * that is not the password file's home directory, and people change settings while the server runs.
 * Through the real command line, in its own process where the process's own environment matters.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConfigurationFixesTest {
  private static final Duration PROCESS = Duration.ofSeconds(90);

  @TempDir Path root;

  @Test
  void anEmptyEnvironmentVariableCountsAsUnsetAndListShowsTheSourceThatWins() throws Exception {
    Path home = root.resolve("home");
    CliRun cli = new CliRun(home).env("GOOSE_MODEL", "").env("GOOSE_PORT", "");
    assertThat(cli.run("configure", "set", "GOOSE_MODEL", "from-the-file").exitCode()).isZero();

    CliRun.Result get = cli.run("configure", "get", "GOOSE_MODEL");
    assertThat(get.out().strip()).isEqualTo("from-the-file");
    JsonNode list = Json.parse(cli.run("configure", "list", "--json").out());
    JsonNode model = row(list, "GOOSE_MODEL");
    assertThat(model.get("value").asText()).isEqualTo("from-the-file");
    assertThat(model.get("source").asText()).isEqualTo("file");
    JsonNode port = row(list, "GOOSE_PORT");
    assertThat(port.get("value").asText()).isEqualTo("3000");
    assertThat(port.get("source").asText()).isEqualTo("default");
    assertThat(cli.run("configure", "set", "GOOSE_MODEL", "again").err())
        .doesNotContain("environment variable");
  }

  @Test
  void tildeIsDollarHomeNotThePasswordFileHome() throws Exception {
    Path home = root.resolve("the-home");
    CliProcess paths = CliProcess.run(home, Map.of(), PROCESS, "configure", "paths");
    assertThat(paths.awaitExit(PROCESS)).as(paths.err()).isZero();
    assertThat(paths.out())
        .contains("config_dir    " + home.resolve(".config/goose"))
        .contains("data_dir      " + home.resolve(".local/share/goose"));

    // A ~ in GOOSE_PATH_ROOT is that home (the process above found it from $HOME); here in this
    // JVM, with that home given, as the process's entry point hands it to the command.
    CliRun.Result rooted =
        new CliRun(home).env("GOOSE_PATH_ROOT", "~/goose-root").run("configure", "paths");
    assertThat(rooted.exitCode()).as(rooted.err()).isZero();
    assertThat(rooted.out()).contains("config_dir    " + home.resolve("goose-root/config"));
  }

  @Test
  void anEmptyDatabaseUrlIsSqliteTheStartLineSaysWhatIsInForceAndSetSaysRestart() throws Exception {
    Path home = root.resolve("home");
    Map<String, String> env =
        Map.of(
            "GOOSE_DATABASE_URL", "",
            "GOOSE_PATH_ROOT", root.resolve("goose").toString(),
            "GOOSE_PORT", "0",
            "GOOSE_PROVIDER", "openai",
            "GOOSE_MODEL", "gpt-test",
            "OPENAI_API_KEY", "sk-test");
    try (CliProcess server = CliProcess.start(home, env, "server")) {
      server.awaitListening(PROCESS);
      String line =
          server.err().lines().filter(l -> l.contains("listening on")).findFirst().orElseThrow();
      assertThat(line)
          .contains("store sqlite " + root.resolve("goose/data/sessions/sessions.db"))
          .contains("provider openai")
          .contains("model gpt-test")
          .contains("auth none")
          .contains("sandbox ");

      // The set runs in this JVM (the server is the other process), as the one after its stop.
      CliRun running = new CliRun(home);
      env.forEach(running::env);
      CliRun.Result set = running.run("configure", "set", "max_retries", "5");
      assertThat(set.exitCode()).as(set.err()).isZero();
      assertThat(set.err())
          .contains("goosed is running with this configuration (pid " + server.pid() + ")")
          .contains("restart it to apply max_retries");
      assertThat(server.terminate(PROCESS)).isZero();
    }
    CliRun.Result stopped =
        new CliRun(home)
            .env("GOOSE_PATH_ROOT", root.resolve("goose").toString())
            .run("configure", "set", "max_retries", "6");
    assertThat(stopped.err()).contains("at its next start").doesNotContain("pid");
    assertThat(Files.readString(root.resolve("goose/config/config.yaml"))).contains("max_retries");
  }

  private static JsonNode row(JsonNode list, String key) {
    for (JsonNode r : list) if (r.get("key").asText().equalsIgnoreCase(key)) return r;
    throw new AssertionError("no row " + key + " in " + list);
  }
}

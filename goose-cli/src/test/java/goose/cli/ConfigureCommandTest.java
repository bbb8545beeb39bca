package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigureCommandTest {
  @TempDir Path home;

  private CliRun cli() {
    return new CliRun(home);
  }

  @Test
  void setThenGetRoundTripsThroughConfigYaml() throws Exception {
    CliRun.Result set = cli().run("configure", "set", "GOOSE_PROVIDER", "anthropic");
    assertThat(set.exitCode()).isZero();
    assertThat(set.out()).contains(cli().configFile().toString());
    assertThat(Files.readString(cli().configFile())).contains("GOOSE_PROVIDER: anthropic");

    CliRun.Result get = cli().run("configure", "get", "goose_provider");
    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).isEqualTo("anthropic\n");
  }

  @Test
  void setRefusesWhatTheNextStartWouldRefuseAndWritesNothing() throws Exception {
    assertRefused(
        "GOOSE_MODE",
        "aproove",
        "error: GOOSE_MODE: must be auto, approve, smart_approve or chat, got \"aproove\"\n");
    assertRefused(
        "GOOSE_AUTH",
        "token",
        "error: GOOSE_AUTH: must be none, secret, tokens or proxy, got \"token\"\n");
    CliRun.Result provider = cli().run("configure", "set", "GOOSE_PROVIDER", "opneai");
    assertThat(provider.exitCode()).isEqualTo(2);
    assertThat(provider.err())
        .startsWith(
            "error: GOOSE_PROVIDER: \"opneai\" is not a provider: use one of anthropic, openai,")
        .contains("custom_providers");
    assertThat(cli().configFile()).doesNotExist();

    // What the start accepts is written: any case, an alias, a declarative provider.
    assertThat(cli().run("configure", "set", "GOOSE_MODE", "Smart_Approve").exitCode()).isZero();
    assertThat(cli().run("configure", "set", "GOOSE_AUTH", "tokens").exitCode()).isZero();
    assertThat(cli().run("configure", "set", "GOOSE_PROVIDER", "gemini").exitCode()).isZero();
    Path providers = Files.createDirectories(cli().configFile().resolveSibling("custom_providers"));
    Files.writeString(
        providers.resolve("acme.json"),
        "{\"name\": \"acme\", \"engine\": \"openai\", \"base_url\": \"http://127.0.0.1:9/v1\","
            + " \"models\": [{\"name\": \"acme-large\"}]}");
    assertThat(cli().run("configure", "set", "GOOSE_PROVIDER", "acme").exitCode()).isZero();
    assertThat(Files.readString(cli().configFile()))
        .contains("GOOSE_MODE: Smart_Approve", "GOOSE_AUTH: tokens", "GOOSE_PROVIDER: acme");
  }

  private void assertRefused(String key, String value, String error) {
    CliRun.Result result = cli().run("configure", "set", key, value);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo(error);
    assertThat(cli().configFile()).doesNotExist();
  }

  @Test
  void getShowsTheSourceWhenAsked() {
    CliRun.Result result =
        cli().env("GOOSE_PORT", "8123").run("configure", "get", "GOOSE_PORT", "--source");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("8123\tenv\tenvironment variable GOOSE_PORT\n");
  }

  @Test
  void getOfAnUnsetKeyFailsWithExitCodeOne() {
    CliRun.Result result = cli().run("configure", "get", "GOOSE_PROVIDER");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("GOOSE_PROVIDER is not set\n");
  }

  @Test
  void listShowsEverySettingWithItsSource() {
    cli().run("configure", "set", "GOOSE_MODEL", "claude-sonnet");

    CliRun.Result result = cli().env("GOOSE_PORT", "9999").run("configure", "list");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines())
        .first()
        .asString()
        .startsWith("KEY")
        .contains("VALUE")
        .contains("SOURCE");
    assertThat(result.out())
        .containsPattern("(?m)^GOOSE_PORT +9999 +env$")
        .containsPattern("(?m)^GOOSE_MODEL +claude-sonnet +file$")
        .containsPattern("(?m)^GOOSE_HOST +127\\.0\\.0\\.1 +default$")
        .containsPattern("(?m)^api_timeout +60 +default$")
        .containsPattern("(?m)^max_retries +3 +default$");
  }

  @Test
  void listShowsEveryKnownKeyAndGetShowsTheAuthModeTheStartWouldPick() throws Exception {
    CliRun.Result list = cli().run("configure", "list");

    assertThat(list.exitCode()).isZero();
    assertThat(list.out())
        .containsPattern("(?m)^GOOSE_PROVIDER +\\(unset\\) +default$")
        .containsPattern("(?m)^ANTHROPIC_API_KEY +\\(unset\\) +default$")
        .containsPattern("(?m)^GOOSE_AUTH +none +default$");
    for (goose.config.ConfigKey key : goose.config.ConfigKey.KNOWN)
      assertThat(list.out()).containsPattern("(?m)^" + key.name() + " ");
    JsonNode rows = Json.MAPPER.readTree(cli().run("configure", "list", "--json").out());
    JsonNode provider = null;
    for (JsonNode row : rows) if (row.get("key").asText().equals("GOOSE_PROVIDER")) provider = row;
    assertThat(provider).isNotNull();
    assertThat(provider.get("value").asText()).isEqualTo("(unset)");
    assertThat(provider.get("set").asBoolean()).isFalse();

    assertThat(cli().run("configure", "get", "GOOSE_AUTH", "--source").out())
        .isEqualTo("none\tdefault\tdefault, as GOOSE_SERVER__SECRET_KEY is not set\n");
    CliRun.Result secret =
        cli()
            .env("GOOSE_SERVER__SECRET_KEY", "0123456789abcdef0123")
            .run("configure", "get", "GOOSE_AUTH");
    assertThat(secret.exitCode()).isZero();
    assertThat(secret.out()).isEqualTo("secret\n");
  }

  @Test
  void secretGoesToAnOwnerOnlyFileAndIsMaskedEverywhere() throws Exception {
    String key = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz";

    CliRun.Result set = cli().run("configure", "set", "ANTHROPIC_API_KEY", key, "--secret");

    assertThat(set.exitCode()).isZero();
    assertThat(set.out()).doesNotContain(key);
    assertThat(Files.getPosixFilePermissions(cli().secretsFile()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.exists(cli().configFile()) ? Files.readString(cli().configFile()) : "")
        .doesNotContain(key);

    CliRun.Result list = cli().run("configure", "list");
    assertThat(list.out())
        .doesNotContain(key)
        .containsPattern("(?m)^ANTHROPIC_API_KEY +\\S+ +secrets$");
    CliRun.Result json = cli().run("configure", "list", "--json");
    assertThat(json.out()).doesNotContain(key);
    assertThat(cli().run("configure", "get", "ANTHROPIC_API_KEY").out()).doesNotContain(key);
    assertThat(cli().run("configure", "get", "ANTHROPIC_API_KEY", "--reveal").out())
        .isEqualTo(key + "\n");
  }

  @Test
  void aKeyNamedLikeASecretNeverLandsInConfigYaml() throws Exception {
    CliRun.Result set = cli().run("configure", "set", "OPENAI_API_KEY", "sk-proj-0123456789abcdef");

    assertThat(set.exitCode()).isZero();
    assertThat(Files.readString(cli().secretsFile())).contains("sk-proj-0123456789abcdef");
    assertThat(Files.exists(cli().configFile())).isFalse();
  }

  @Test
  void secretValueCanComeFromStdinToStayOutOfShellHistory() throws Exception {
    CliRun.Result set =
        cli()
            .runWithInput(
                "tok-from-stdin-123456\n",
                "configure",
                "set",
                "GOOSE_SERVER__SECRET_KEY",
                "--secret");

    assertThat(set.exitCode()).isZero();
    assertThat(cli().run("configure", "get", "GOOSE_SERVER__SECRET_KEY", "--reveal").out())
        .isEqualTo("tok-from-stdin-123456\n");
  }

  @Test
  void setWithoutValueAndWithoutSecretIsAUsageError() {
    CliRun.Result result = cli().run("configure", "set", "GOOSE_MODEL");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("missing VALUE");
  }

  @Test
  void listAsJsonCarriesKeyValueSourceAndOrigin() throws Exception {
    CliRun.Result result = cli().env("GOOSE_PROVIDER", "openai").run("configure", "list", "--json");

    assertThat(result.exitCode()).isZero();
    JsonNode rows = Json.MAPPER.readTree(result.out());
    JsonNode provider = null;
    for (JsonNode row : rows) if (row.get("key").asText().equals("GOOSE_PROVIDER")) provider = row;
    assertThat(provider).isNotNull();
    assertThat(provider.get("value").asText()).isEqualTo("openai");
    assertThat(provider.get("source").asText()).isEqualTo("env");
    assertThat(provider.get("origin").asText()).isEqualTo("environment variable GOOSE_PROVIDER");
    assertThat(provider.get("secret").asBoolean()).isFalse();
  }

  @Test
  void setAnInvalidValueIsRefusedWithExitTwoAndNothingWritten() {
    CliRun.Result result = cli().run("configure", "set", "GOOSE_PORT", "abc");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("error: GOOSE_PORT: must be a whole number, got \"abc\"\n");
    assertThat(Files.exists(cli().configFile())).isFalse();
  }

  @Test
  void setWarnsWhenTheEnvironmentOverridesTheNewValue() {
    CliRun.Result result =
        cli().env("GOOSE_PORT", "4000").run("configure", "set", "GOOSE_PORT", "5000");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).contains("GOOSE_PORT is set and overrides this value");
  }

  @Test
  void structuredSettingsAreNotOverwrittenByAScalar() throws Exception {
    Files.createDirectories(cli().configFile().getParent());
    Files.writeString(cli().configFile(), "extensions:\n  developer:\n    enabled: true\n");

    CliRun.Result result = cli().run("configure", "set", "extensions", "none");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(Files.readString(cli().configFile())).contains("developer");
  }

  @Test
  void unsetRemovesAndReportsAMissingKey() {
    cli().run("configure", "set", "GOOSE_MODEL", "m");

    assertThat(cli().run("configure", "unset", "GOOSE_MODEL").exitCode()).isZero();
    assertThat(cli().run("configure", "get", "GOOSE_MODEL").exitCode()).isEqualTo(1);
    assertThat(cli().run("configure", "unset", "GOOSE_MODEL").exitCode()).isEqualTo(1);
  }

  @Test
  void pathsFollowTheEnvironment() {
    CliRun.Result result =
        cli().env("GOOSE_PATH_ROOT", home.resolve("root").toString()).run("configure", "paths");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("config_file   " + home.resolve("root/config/config.yaml"))
        .contains("sessions_dir  " + home.resolve("root/data/sessions"))
        .contains("logs_dir      " + home.resolve("root/state/logs"));
  }
}

package goose.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.testing.ConfigFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path home;

  private Path configFile() {
    return home.resolve(".config/goose/config.yaml");
  }

  private Path secretsFile() {
    return home.resolve(".config/goose/secrets.yaml");
  }

  private void writeConfig(String yaml) throws IOException {
    ConfigFiles.writeConfig(home, yaml);
  }

  private Config load(Map<String, String> env) {
    return Config.load(env, home);
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    Config config = load(Map.of());

    assertThat(config.lookup("GOOSE_PORT"))
        .hasValueSatisfying(
            v -> {
              assertThat(v.value()).isEqualTo("3000");
              assertThat(v.source()).isEqualTo(ConfigSource.DEFAULT);
            });
    assertThat(config.get("GOOSE_HOST")).contains("127.0.0.1");
    assertThat(config.getInt("max_retries", -1, 0, 100)).isEqualTo(3);
    assertThat(config.getSeconds("api_timeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.get("GOOSE_PROVIDER")).isEmpty();
  }

  @Test
  void fileBeatsDefaultAndEnvironmentBeatsFile() throws IOException {
    writeConfig("GOOSE_PORT: 4000\nGOOSE_HOST: 0.0.0.0\n");

    Config fileOnly = load(Map.of());
    assertThat(fileOnly.lookup("GOOSE_PORT").orElseThrow().source()).isEqualTo(ConfigSource.FILE);
    assertThat(fileOnly.getInt("GOOSE_PORT", 0, 0, 65535)).isEqualTo(4000);

    Config withEnv = load(Map.of("GOOSE_PORT", "5000"));
    ConfigValue port = withEnv.lookup("GOOSE_PORT").orElseThrow();
    assertThat(port.value()).isEqualTo("5000");
    assertThat(port.source()).isEqualTo(ConfigSource.ENV);
    assertThat(port.origin()).isEqualTo("environment variable GOOSE_PORT");
    assertThat(withEnv.get("GOOSE_HOST")).contains("0.0.0.0");
  }

  @Test
  void upperCaseEnvironmentVariableOverridesLowerCaseYamlKey() throws IOException {
    writeConfig("api_timeout: 30\ngoose_model: from-file\n");

    Config config = load(Map.of("API_TIMEOUT", "7", "GOOSE_MODEL", "from-env"));

    assertThat(config.getSeconds("api_timeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(7));
    assertThat(config.lookup("api_timeout").orElseThrow().source()).isEqualTo(ConfigSource.ENV);
    assertThat(config.get("goose_model")).contains("from-env");
    assertThat(load(Map.of()).get("GOOSE_MODEL"))
        .as("a lower-case YAML key answers its upper-case name")
        .contains("from-file");
  }

  @Test
  void effectiveListsEachSettingOnceWhateverTheCaseOfItsSpelling() throws IOException {
    writeConfig("API_TIMEOUT: 30\ngoose_model: m\ncustom_thing: x\n");

    var keys =
        load(Map.of("GOOSE_EXTRA", "1")).effective().stream()
            .map(v -> v.key().toUpperCase(java.util.Locale.ROOT))
            .toList();

    assertThat(keys)
        .doesNotHaveDuplicates()
        .contains(
            "API_TIMEOUT",
            "GOOSE_MODEL",
            "CUSTOM_THING",
            "GOOSE_EXTRA",
            "GOOSE_HOST",
            "GOOSE_PORT",
            "MAX_RETRIES");
  }

  @Test
  void secretsAreWrittenOwnerOnlyAndMaskedForDisplay() throws IOException {
    Config config = load(Map.of());

    config.setSecret("OPENAI_API_KEY", "sk-live-1234567890abcdef");

    assertThat(Files.getPosixFilePermissions(secretsFile()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    ConfigValue value = load(Map.of()).lookup("OPENAI_API_KEY").orElseThrow();
    assertThat(value.source()).isEqualTo(ConfigSource.SECRETS);
    assertThat(value.secret()).isTrue();
    assertThat(value.value()).isEqualTo("sk-live-1234567890abcdef");
    assertThat(value.display()).doesNotContain("1234567890abcdef");
    assertThat(load(Map.of()).effective())
        .filteredOn(v -> v.key().equals("OPENAI_API_KEY"))
        .singleElement()
        .satisfies(v -> assertThat(v.display()).isNotEqualTo(v.value()));
  }

  @Test
  void secretFromTheEnvironmentBeatsSecretsFile() {
    load(Map.of()).setSecret("ANTHROPIC_API_KEY", "from-file-secret");

    Config config = load(Map.of("ANTHROPIC_API_KEY", "from-env-secret"));

    assertThat(config.secret("ANTHROPIC_API_KEY")).contains("from-env-secret");
  }

  @Test
  void anyKeyStoredInSecretsIsTreatedAsSecret() {
    load(Map.of()).setSecret("my_webhook", "hunter2-very-private");

    ConfigValue value = load(Map.of()).lookup("my_webhook").orElseThrow();

    assertThat(value.secret()).isTrue();
    assertThat(value.display()).doesNotContain("hunter2");
  }

  @Test
  void secretLookingNamesAreMaskedButCountersAreNot() {
    assertThat(ConfigKey.looksSecret("GOOSE_SERVER__SECRET_KEY")).isTrue();
    assertThat(ConfigKey.looksSecret("GITHUB_TOKEN")).isTrue();
    assertThat(ConfigKey.looksSecret("DB_PASSWORD")).isTrue();
    assertThat(ConfigKey.looksSecret("GOOSE_MAX_TOKENS")).isFalse();
    assertThat(ConfigKey.looksSecret("GOOSE_PORT")).isFalse();
  }

  @Test
  void passwordInsideAUrlIsMasked() {
    ConfigValue url =
        new ConfigValue(
            "GOOSE_DATABASE_URL",
            "postgresql://goose:s3cr3t-pw@db:5432/goose",
            ConfigSource.ENV,
            "env",
            false);

    assertThat(url.display())
        .doesNotContain("s3cr3t-pw")
        .contains("goose:")
        .contains("@db:5432/goose");
  }

  @Test
  void setPersistsAndReplacesAnotherSpellingOfTheSameKey() throws IOException {
    writeConfig("goose_model: old\nother: kept\n");

    load(Map.of()).set("GOOSE_MODEL", "new");

    assertThat(load(Map.of()).get("GOOSE_MODEL")).contains("new");
    assertThat(Files.readString(configFile()))
        .doesNotContain("goose_model")
        .contains("other: kept");
  }

  @Test
  void setRefusesAValueThatBreaksTheKeysTypeAndLeavesTheFileAlone() throws IOException {
    writeConfig("GOOSE_PORT: 4000\n");

    assertThatThrownBy(() -> load(Map.of()).set("GOOSE_PORT", "abc"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("GOOSE_PORT: must be a whole number, got \"abc\"");
    assertThat(Files.readString(configFile())).isEqualTo("GOOSE_PORT: 4000\n");
  }

  @Test
  void unsetRemovesFromBothFiles() {
    Config config = load(Map.of());
    config.set("GOOSE_MODEL", "m");
    config.setSecret("OPENAI_API_KEY", "sk-1234567890");

    assertThat(config.unset("goose_model")).isTrue();
    assertThat(config.unset("OPENAI_API_KEY")).isTrue();
    assertThat(config.unset("OPENAI_API_KEY")).isFalse();
    assertThat(load(Map.of()).get("GOOSE_MODEL")).isEmpty();
    assertThat(load(Map.of()).get("OPENAI_API_KEY")).isEmpty();
  }

  @Test
  void badPortInEnvironmentNamesTheVariableAndTheProblem() {
    Config config = load(Map.of("GOOSE_PORT", "abc"));

    assertThatThrownBy(config::validate)
        .isInstanceOf(ConfigException.class)
        .hasMessage("environment variable GOOSE_PORT: must be a whole number, got \"abc\"");
  }

  @Test
  void badValueInTheFileNamesTheFileTheKeyAndTheProblem() throws IOException {
    writeConfig("GOOSE_PORT: 70000\n");

    assertThatThrownBy(load(Map.of())::validate)
        .isInstanceOf(ConfigException.class)
        .hasMessage(configFile() + ": GOOSE_PORT: must be between 0 and 65535, got 70000");
  }

  @Test
  void validateChecksEveryTypedSetting() throws IOException {
    assertThatThrownBy(load(Map.of("API_TIMEOUT", "soon"))::validate)
        .hasMessageContaining("API_TIMEOUT")
        .hasMessageContaining("must be a number");
    assertThatThrownBy(load(Map.of("MAX_RETRIES", "-1"))::validate)
        .hasMessageContaining("MAX_RETRIES")
        .hasMessageContaining("between 0 and 100");
    assertThatThrownBy(load(Map.of("GOOSE_LOG_FORMAT", "xml"))::validate)
        .hasMessageContaining("must be one of text, json");
    assertThatThrownBy(load(Map.of("GOOSE_HOST", "999.1.1.1"))::validate)
        .hasMessage(
            "environment variable GOOSE_HOST: \"999.1.1.1\" is not an IP address or a host name this machine can resolve");
    load(Map.of(
            "GOOSE_PORT",
            "0",
            "API_TIMEOUT",
            "2.5",
            "GOOSE_LOG_FORMAT",
            "JSON",
            "GOOSE_HOST",
            "::1"))
        .validate();
    load(Map.of("GOOSE_HOST", "localhost")).validate();
  }

  @Test
  void onAndOffUnquotedInTheFileAreAcceptedAndAnErrorQuotesWhatTheFileSays() throws IOException {
    // YAML 1.1 reads an unquoted off/on/yes as a boolean; the docs tell people to write off.
    writeConfig("GOOSE_SANDBOX: off\n");
    load(Map.of()).validate();
    assertThat(load(Map.of()).getChoice("GOOSE_SANDBOX", "auto", List.of("auto", "on", "off")))
        .isEqualTo("off");
    writeConfig("GOOSE_SANDBOX: On\n");
    assertThat(load(Map.of()).getChoice("GOOSE_SANDBOX", "auto", List.of("auto", "on", "off")))
        .isEqualTo("on");
    writeConfig("GOOSE_SANDBOX: false\n");
    assertThat(load(Map.of()).getChoice("GOOSE_SANDBOX", "auto", List.of("auto", "on", "off")))
        .isEqualTo("off");
    assertThat(
            load(Map.of("GOOSE_SANDBOX", "yes"))
                .getChoice("GOOSE_SANDBOX", "auto", List.of("auto", "on", "off")))
        .isEqualTo("on");

    writeConfig("GOOSE_LOG_FORMAT: yes\nGOOSE_PROMPT_CACHING: off\n");
    assertThatThrownBy(load(Map.of())::validate)
        .hasMessage(configFile() + ": GOOSE_LOG_FORMAT: must be one of text, json, got \"yes\"");
    assertThat(load(Map.of()).getBoolean("GOOSE_PROMPT_CACHING", true)).isFalse();
  }

  @Test
  void booleansReadTheWayGooseReadsThem() {
    Config config = load(Map.of("A", "yes", "B", "off", "C", "maybe"));

    assertThat(config.getBoolean("A", false)).isTrue();
    assertThat(config.getBoolean("B", true)).isFalse();
    assertThat(config.getBoolean("UNSET", true)).isTrue();
    assertThatThrownBy(() -> config.getBoolean("C", false))
        .hasMessage("environment variable C: must be true or false, got \"maybe\"");
  }

  @Test
  void brokenYamlNamesTheFileAndTheLine() throws IOException {
    writeConfig("GOOSE_PORT: 3000\nextensions:\n  dev: [unclosed\n");

    assertThatThrownBy(() -> load(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(configFile() + ": invalid YAML (line ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aKeyWrittenTwiceIsAnError() throws IOException {
    writeConfig("GOOSE_PORT: 1\nGOOSE_PORT: 2\n");

    assertThatThrownBy(() -> load(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(configFile().toString())
        .hasMessageContaining("Duplicate field 'GOOSE_PORT'");
  }

  @Test
  void aTopLevelListIsAnError() throws IOException {
    writeConfig("- a\n- b\n");

    assertThatThrownBy(() -> load(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            configFile() + ": expected a mapping of keys to values at the top level, found array");
  }

  @Test
  void emptyFileMeansNoSettings() throws IOException {
    writeConfig("\n# nothing yet\n");

    assertThat(load(Map.of()).lookup("GOOSE_PORT").orElseThrow().source())
        .isEqualTo(ConfigSource.DEFAULT);
  }
}

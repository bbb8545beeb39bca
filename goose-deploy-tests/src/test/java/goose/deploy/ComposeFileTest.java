package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.config.GoosePaths;
import goose.testing.Repo;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker-compose.yml parses and wires goosed to PostgreSQL with the settings goosed reads. */
class ComposeFileTest {
  private static final JsonNode COMPOSE = Repo.yaml("docker-compose.yml");
  private static final JsonNode GOOSED = COMPOSE.path("services").path("goosed");
  private static final JsonNode POSTGRES = COMPOSE.path("services").path("postgres");

  @Test
  void hasGoosedAndPostgres() {
    assertThat(COMPOSE.path("services").properties())
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("goosed", "postgres");
    assertThat(GOOSED.path("build").asText()).isEqualTo(".");
    assertThat(GOOSED.path("command").toString()).isEqualTo("[\"server\"]");
    assertThat(POSTGRES.path("image").asText()).startsWith("postgres:");
    assertThat(GOOSED.path("depends_on").path("postgres").path("condition").asText())
        .isEqualTo("service_healthy");
    assertThat(POSTGRES.path("healthcheck").path("test").toString()).contains("pg_isready");
  }

  @Test
  void goosedListensOnAllInterfacesWithAuthAndTheSeedsVariables() {
    JsonNode env = GOOSED.path("environment");
    assertThat(env.path("GOOSE_HOST").asText()).isEqualTo("0.0.0.0");
    assertThat(env.path("GOOSE_PORT").asText()).isEqualTo("3000");
    assertThat(env.path("GOOSE_AUTH").asText()).isEqualTo("secret");
    assertThat(env.path("GOOSE_SERVER__SECRET_KEY").asText())
        .startsWith("${GOOSE_SERVER__SECRET_KEY:?");
    for (String seed :
        List.of(
            "GOOSE_PROVIDER",
            "GOOSE_MODEL",
            "ANTHROPIC_API_KEY",
            "OPENAI_API_KEY",
            "GOOSE_DISABLE_TELEMETRY")) {
      assertThat(env.has(seed)).as(seed).isTrue();
    }
    assertThat(GOOSED.path("ports").get(0).asText()).endsWith(":3000");
  }

  @Test
  void databaseUrlPointsAtThePostgresServiceWithItsUserAndDatabase() {
    String url = GOOSED.path("environment").path("GOOSE_DATABASE_URL").asText();
    URI uri = URI.create(url.replace("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}", "pw"));
    assertThat(uri.getScheme()).isEqualTo("postgresql");
    assertThat(uri.getHost()).isEqualTo("postgres");
    assertThat(uri.getPort()).isEqualTo(5432);
    JsonNode pgEnv = POSTGRES.path("environment");
    assertThat(uri.getUserInfo()).isEqualTo(pgEnv.path("POSTGRES_USER").asText() + ":pw");
    assertThat(uri.getPath()).isEqualTo("/" + pgEnv.path("POSTGRES_DB").asText());
    assertThat(pgEnv.path("POSTGRES_PASSWORD").asText()).startsWith("${POSTGRES_PASSWORD:?");
  }

  @Test
  void namedVolumesHoldGoosesConfigAndDataDirectoriesAndTheDatabase() {
    GoosePaths paths = GoosePaths.resolve(Map.of(), Path.of("/home/goose"));
    List<String> mounts = new ArrayList<>();
    GOOSED.path("volumes").forEach(v -> mounts.add(v.asText()));
    assertThat(mounts)
        .containsExactlyInAnyOrder(
            "goose-config:" + paths.configDir(), "goose-data:" + paths.dataDir());
    List<String> declared = new ArrayList<>();
    COMPOSE.path("volumes").fieldNames().forEachRemaining(declared::add);
    List<String> used = new ArrayList<>();
    for (JsonNode service : List.of(GOOSED, POSTGRES)) {
      service.path("volumes").forEach(v -> used.add(v.asText().split(":", -1)[0]));
    }
    assertThat(declared).containsExactlyInAnyOrderElementsOf(used);
  }
}

package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import goose.config.Config;
import goose.config.ConfigException;
import goose.config.GoosePaths;
import goose.server.auth.AuthSettings;
import goose.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests under deploy/k8s parse, and what they refer to exists: kustomize resources and
 * patches, the Secret keys and ConfigMap the Deployment reads, the probe port, the claim of the
 * SQLite variant. The config.yaml in the ConfigMap is loaded by goose's own configuration code.
 */
class KubernetesManifestsTest {
  private static final String K8S = "deploy/k8s";

  @Test
  void everyYamlFileParses() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Repo.path(K8S))) {
      files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    for (Path file : files) {
      List<JsonNode> docs = Repo.yamlDocuments(Repo.ROOT.relativize(file).toString());
      assertThat(docs).as(file.toString()).isNotEmpty();
      docs.forEach(
          d -> assertThat(d.path("apiVersion").asText()).as(file + " apiVersion").isNotEmpty());
      docs.forEach(d -> assertThat(d.path("kind").asText()).as(file + " kind").isNotEmpty());
    }
  }

  @Test
  void kustomizationsReferToFilesThatExist() {
    for (String dir : List.of("base", "postgres", "sqlite")) {
      JsonNode k = Repo.yaml(K8S + "/" + dir + "/kustomization.yaml");
      assertThat(k.path("kind").asText()).isEqualTo("Kustomization");
      List<String> refs = new ArrayList<>();
      k.path("resources").forEach(r -> refs.add(r.asText()));
      k.path("patches").forEach(p -> refs.add(p.path("path").asText()));
      assertThat(refs).as(dir).isNotEmpty();
      for (String ref : refs)
        assertThat(Repo.path(K8S + "/" + dir + "/" + ref)).as(dir + ": " + ref).exists();
    }
    assertThat(Repo.yaml(K8S + "/postgres/kustomization.yaml").path("resources").toString())
        .contains("../base");
    assertThat(Repo.yaml(K8S + "/sqlite/kustomization.yaml").path("resources").toString())
        .contains("../base");
  }

  @Test
  void deploymentProbesStatusAndSetsResources() {
    JsonNode container = container(base("deployment.yaml"));
    assertThat(container.path("args").toString()).isEqualTo("[\"server\"]");
    String port = container.path("ports").get(0).path("name").asText();
    assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(3000);
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      assertThat(container.path(probe).path("httpGet").path("path").asText())
          .as(probe)
          .isEqualTo("/status");
      assertThat(container.path(probe).path("httpGet").path("port").asText())
          .as(probe)
          .isEqualTo(port);
      assertThat(container.path(probe).path("httpGet").path("httpHeaders").toString())
          .as(probe + " sends a Host goosed answers to (not the pod IP)")
          .contains("{\"name\":\"Host\",\"value\":\"localhost\"}");
    }
    for (String kind : List.of("requests", "limits")) {
      assertThat(container.path("resources").path(kind).path("cpu").asText()).as(kind).isNotEmpty();
      assertThat(container.path("resources").path(kind).path("memory").asText())
          .as(kind)
          .isNotEmpty();
    }
    JsonNode env = env(container);
    assertThat(env.path("GOOSE_HOST").path("value").asText()).isEqualTo("0.0.0.0");
    assertThat(env.path("GOOSE_PORT").path("value").asText()).isEqualTo("3000");
    assertThat(env.path("GOOSE_AUTH").path("value").asText()).isEqualTo("secret");
    JsonNode pod = base("deployment.yaml").path("spec").path("template").path("spec");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();

    JsonNode service = base("service.yaml");
    assertThat(service.path("kind").asText()).isEqualTo("Service");
    assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
        .isEqualTo(port);
    assertThat(service.path("spec").path("selector"))
        .isEqualTo(
            base("deployment.yaml").path("spec").path("template").path("metadata").path("labels"));
  }

  @Test
  void everySecretKeyTheDeploymentsReadIsInTheSecret() {
    JsonNode secret = base("secret.yaml");
    assertThat(secret.path("kind").asText()).isEqualTo("Secret");
    List<JsonNode> containers =
        List.of(container(base("deployment.yaml")), container(overlay("postgres")));
    for (JsonNode c : containers) {
      for (JsonNode e : c.path("env")) {
        JsonNode ref = e.path("valueFrom").path("secretKeyRef");
        if (ref.isMissingNode()) continue;
        assertThat(ref.path("name").asText())
            .isEqualTo(secret.path("metadata").path("name").asText());
        assertThat(secret.path("stringData").has(ref.path("key").asText()))
            .as(ref.path("key").asText())
            .isTrue();
      }
    }
    assertThat(secret.path("stringData").has("anthropic-api-key")).isTrue();
  }

  @Test
  void thePlaceholderServerKeyIsRefusedSoAForgottenSecretCannotGoLive(@TempDir Path dir) {
    JsonNode container = container(base("deployment.yaml"));
    String placeholder = base("secret.yaml").path("stringData").path("server-secret-key").asText();
    Map<String, String> env =
        Map.of(
            "GOOSE_AUTH",
            env(container).path("GOOSE_AUTH").path("value").asText(),
            "GOOSE_SERVER__SECRET_KEY",
            placeholder,
            "GOOSE_PATH_ROOT",
            dir.toString());
    assertThatThrownBy(() -> AuthSettings.from(Config.load(env, dir), "0.0.0.0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GOOSE_SERVER__SECRET_KEY");
  }

  @Test
  void configMapHoldsAConfigYamlThatGooseLoads(@TempDir Path dir) throws IOException {
    JsonNode configMap = base("configmap.yaml");
    JsonNode deployment = base("deployment.yaml");
    JsonNode volume = deployment.path("spec").path("template").path("spec").path("volumes").get(0);
    assertThat(volume.path("configMap").path("name").asText())
        .isEqualTo(configMap.path("metadata").path("name").asText());
    JsonNode container = container(deployment);
    String mountPath = container.path("volumeMounts").get(0).path("mountPath").asText();
    assertThat(env(container).path("GOOSE_CONFIG_DIR").path("value").asText()).isEqualTo(mountPath);

    String yaml = configMap.path("data").path("config.yaml").asText();
    Files.writeString(dir.resolve("config.yaml"), yaml);
    Config config = Config.load(Map.of("GOOSE_CONFIG_DIR", dir.toString()), dir.resolve("home"));
    assertThat(config.get("GOOSE_PROVIDER")).contains("anthropic");
    assertThat(config.getInt("api_timeout", 60, 1, 3600)).isEqualTo(120);
  }

  @Test
  void postgresVariantRunsSeveralReplicasOnTheDatabaseUrlFromTheSecret() {
    JsonNode patch = overlay("postgres");
    assertThat(patch.path("metadata").path("name").asText())
        .isEqualTo(base("deployment.yaml").path("metadata").path("name").asText());
    assertThat(patch.path("spec").path("replicas").asInt()).isGreaterThan(1);
    JsonNode env = env(container(patch));
    assertThat(
            env.path("GOOSE_DATABASE_URL")
                .path("valueFrom")
                .path("secretKeyRef")
                .path("key")
                .asText())
        .isEqualTo("database-url");
    assertThat(container(patch).path("name").asText())
        .isEqualTo(container(base("deployment.yaml")).path("name").asText());
  }

  @Test
  void sqliteVariantIsOneReplicaWithItsDataDirectoryOnAClaim() {
    JsonNode patch = overlay("sqlite");
    assertThat(patch.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(patch.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
    JsonNode pvc = Repo.yaml(K8S + "/sqlite/pvc.yaml");
    assertThat(pvc.path("kind").asText()).isEqualTo("PersistentVolumeClaim");
    JsonNode volume = patch.path("spec").path("template").path("spec").path("volumes").get(0);
    assertThat(volume.path("persistentVolumeClaim").path("claimName").asText())
        .isEqualTo(pvc.path("metadata").path("name").asText());
    JsonNode mount = container(patch).path("volumeMounts").get(0);
    assertThat(mount.path("name").asText()).isEqualTo(volume.path("name").asText());
    GoosePaths paths = GoosePaths.resolve(Map.of(), Path.of("/home/goose"));
    assertThat(mount.path("mountPath").asText()).isEqualTo(paths.dataDir().toString());
    assertThat(env(container(patch)).has("GOOSE_DATABASE_URL")).isFalse();
  }

  private static JsonNode base(String file) {
    return Repo.yaml(K8S + "/base/" + file);
  }

  private static JsonNode overlay(String variant) {
    JsonNode patch = Repo.yaml(K8S + "/" + variant + "/deployment-patch.yaml");
    assertThat(patch.path("kind").asText()).isEqualTo("Deployment");
    return patch;
  }

  private static JsonNode container(JsonNode deployment) {
    JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
    assertThat(containers.size()).isEqualTo(1);
    return containers.get(0);
  }

  private static JsonNode env(JsonNode container) {
    Map<String, JsonNode> byName = new HashMap<>();
    container.path("env").forEach(e -> byName.put(e.path("name").asText(), e));
    return goose.json.Json.MAPPER.valueToTree(byName);
  }
}

package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.testing.Repo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kustomize overlays render with {@code kubectl kustomize} (kubectl's built-in kustomize), and
 * every rendered manifest validates against the Kubernetes API's JSON schemas (npm
 * kubernetes-models, testing/k8s-schemas/validate.mjs). No cluster is needed; kubectl and Node.js
 * are (bin/test installs the npm fixture).
 */
class KubernetesSchemaTest {
  private static final String VALIDATOR = "testing/k8s-schemas/validate.mjs";
  private static final Map<String, String> RENDERED = new HashMap<>();

  @Test
  void everyOverlayRendersAndEveryManifestValidates() throws Exception {
    for (String overlay : List.of("postgres", "sqlite")) {
      String rendered = rendered(overlay);
      JsonNode report = validate(rendered);
      assertThat(report.path("errors")).as(overlay + ": " + report).isEmpty();
      List<String> valid = new ArrayList<>();
      report.path("valid").forEach(v -> valid.add(v.asText()));
      assertThat(valid)
          .as(overlay)
          .contains("Deployment/goosed", "Service/goosed", "ConfigMap/goosed-config");
      if (overlay.equals("sqlite")) assertThat(valid).contains("PersistentVolumeClaim/goosed-data");
    }
  }

  @Test
  void theValidatorRefusesAManifestThatBreaksTheSchema() throws Exception {
    String rendered = rendered("sqlite");
    String broken =
        rendered
            .replace("runAsUser: 10001", "runAsUser: ten-thousand-and-one")
            .replace("type: Recreate", "type: Sometimes");
    assertThat(broken).isNotEqualTo(rendered);
    JsonNode report = validate(broken);
    assertThat(report.path("errors").toString())
        .contains("Deployment/goosed")
        .contains("runAsUser must be integer");
  }

  /**
   * The rendered Deployment runs goosed as locked down as docker-compose.yml does, setting for
   * setting: the image's non-root user, no capability, no privilege escalation, the same seccomp
   * profile, an unmasked /proc, no AppArmor profile that denies mounts, the sandbox on, the same
   * auth mode.
   */
  @Test
  void theRenderedDeploymentHasTheSecuritySettingsOfTheComposeFile() throws Exception {
    JsonNode compose = Repo.yaml("docker-compose.yml").path("services").path("goosed");
    List<String> composeOptions = new ArrayList<>();
    compose.path("security_opt").forEach(o -> composeOptions.add(o.asText()));
    for (String overlay : List.of("postgres", "sqlite")) {
      JsonNode deployment =
          Repo.yamlDocumentsOf(rendered(overlay)).stream()
              .filter(d -> d.path("kind").asText().equals("Deployment"))
              .findFirst()
              .orElseThrow();
      JsonNode pod = deployment.path("spec").path("template").path("spec");
      JsonNode podSecurity = pod.path("securityContext");
      JsonNode container = pod.path("containers").get(0);
      JsonNode security = container.path("securityContext");
      String as = overlay + " overlay";

      // The image's user (Dockerfile: useradd --uid 10001, USER goose), which Compose runs as.
      assertThat(Repo.read("Dockerfile")).contains("useradd --create-home --uid 10001");
      assertThat(compose.has("user")).as("Compose runs the image's own user").isFalse();
      assertThat(podSecurity.path("runAsNonRoot").asBoolean()).as(as).isTrue();
      assertThat(podSecurity.path("runAsUser").asInt()).as(as).isEqualTo(10001);

      assertThat(compose.path("cap_drop").toString()).isEqualTo("[\"ALL\"]");
      assertThat(security.path("capabilities").path("drop").toString())
          .as(as)
          .isEqualTo("[\"ALL\"]");
      assertThat(security.path("capabilities").has("add")).as(as).isFalse();

      assertThat(composeOptions).contains("no-new-privileges:true");
      assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(as).isFalse();

      assertThat(composeOptions).contains("seccomp:./deploy/docker/seccomp-bwrap.json");
      assertThat(podSecurity.path("seccompProfile").path("type").asText())
          .as(as)
          .isEqualTo("Localhost");
      String nodeProfile = podSecurity.path("seccompProfile").path("localhostProfile").asText();
      assertThat(Repo.read("docs/deployment.md"))
          .as("the docs say to install deploy/docker/seccomp-bwrap.json as " + nodeProfile)
          .contains(nodeProfile)
          .contains("deploy/docker/seccomp-bwrap.json");

      assertThat(composeOptions).contains("systempaths=unconfined");
      assertThat(security.path("procMount").asText()).as(as).isEqualTo("Unmasked");
      assertThat(pod.path("hostUsers").asBoolean(true)).as(as).isFalse();

      assertThat(composeOptions).contains("apparmor:unconfined");
      assertThat(podSecurity.path("appArmorProfile").path("type").asText())
          .as(as)
          .isEqualTo("Unconfined");

      assertThat(compose.path("privileged").asBoolean(false)).isFalse();
      assertThat(security.path("privileged").asBoolean(false)).as(as).isFalse();

      JsonNode env = compose.path("environment");
      assertThat(envValue(container, "GOOSE_SANDBOX"))
          .as(as)
          .isEqualTo(env.path("GOOSE_SANDBOX").asText());
      assertThat(envValue(container, "GOOSE_AUTH"))
          .as(as)
          .isEqualTo(env.path("GOOSE_AUTH").asText());
    }
  }

  /**
   * The overlay as {@code kubectl kustomize} renders it, once per overlay for the class's tests
   * (the same files give the same output).
   */
  private static synchronized String rendered(String overlay)
      throws IOException, InterruptedException {
    String manifests = RENDERED.get(overlay);
    if (manifests == null) {
      manifests = run(List.of(kubectl(), "kustomize", "deploy/k8s/" + overlay), "");
      RENDERED.put(overlay, manifests);
    }
    return manifests;
  }

  private static String envValue(JsonNode container, String name) {
    for (JsonNode e : container.path("env"))
      if (e.path("name").asText().equals(name)) return e.path("value").asText();
    throw new AssertionError("the container sets no " + name);
  }

  /** The validator's report; a document it refuses makes it exit 1, which is not a test error. */
  private static JsonNode validate(String manifests) throws Exception {
    return Json.parse(run(List.of("node", Repo.path(VALIDATOR).toString()), manifests, 0, 1));
  }

  static String kubectl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":", -1)) {
      if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "kubectl")))
        return dir + "/kubectl";
    }
    throw new AssertionError(
        "kubectl is not installed: this test renders the overlays with `kubectl kustomize`"
            + " (kubectl 1.14+ has kustomize built in)");
  }

  private static String run(List<String> command, String stdin, int... okExits)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .directory(Repo.ROOT.toFile())
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within 2 minutes");
    }
    int[] accepted = okExits.length == 0 ? new int[] {0} : okExits;
    for (int ok : accepted) if (p.exitValue() == ok) return out;
    throw new AssertionError(command + " exited " + p.exitValue() + ":\n" + out + err);
  }
}

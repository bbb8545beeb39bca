package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void everyOverlayRendersAndEveryManifestValidates() throws Exception {
    for (String overlay : List.of("postgres", "sqlite")) {
      String rendered = run(List.of(kubectl(), "kustomize", "deploy/k8s/" + overlay), "");
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
    String rendered = run(List.of(kubectl(), "kustomize", "deploy/k8s/sqlite"), "");
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

  /** The validator's report; a document it refuses makes it exit 1, which is not a test error. */
  private static JsonNode validate(String manifests) throws Exception {
    return Json.parse(run(List.of("node", Repo.path(VALIDATOR).toString()), manifests, 0, 1));
  }

  static String kubectl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
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

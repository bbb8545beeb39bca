package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.testing.Repo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The container files give bubblewrap what it needs to build the tool sandbox, and nothing more
 * than that: the seccomp profile allows namespace creation and mounts and refuses what the kernel
 * does not namespace; Compose and Kubernetes apply it with an unmasked /proc and no mount-denying
 * AppArmor profile, and turn the sandbox on.
 */
class SandboxDeploymentTest {
  private static final String PROFILE = "deploy/docker/seccomp-bwrap.json";

  /** What bwrap calls to build a sandbox. */
  private static final List<String> BWRAP_NEEDS =
      List.of("clone", "clone3", "unshare", "mount", "umount2", "pivot_root", "prctl", "chroot");

  /** What no tool and no bwrap needs, and the kernel does not confine to a container. */
  private static final List<String> REFUSED =
      List.of(
          "init_module",
          "finit_module",
          "kexec_load",
          "reboot",
          "keyctl",
          "add_key",
          "bpf",
          "perf_event_open",
          "open_by_handle_at",
          "userfaultfd",
          "setns",
          "clock_settime",
          "swapon",
          "iopl");

  @Test
  void theSeccompProfileAllowsWhatBwrapNeedsAndRefusesTheRest() {
    JsonNode profile = Json.parse(Repo.read(PROFILE));
    assertThat(profile.path("defaultAction").asText()).isEqualTo("SCMP_ACT_ALLOW");
    assertThat(profile.path("architectures").toString())
        .contains("SCMP_ARCH_X86_64")
        .contains("SCMP_ARCH_X86")
        .contains("SCMP_ARCH_AARCH64");
    Set<String> denied = new HashSet<>();
    for (JsonNode rule : profile.path("syscalls")) {
      assertThat(rule.path("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
      assertThat(rule.has("args")).as("no argument filters: a name is refused outright").isFalse();
      rule.path("names").forEach(n -> denied.add(n.asText()));
    }
    assertThat(denied).containsAll(REFUSED).doesNotContainAnyElementsOf(BWRAP_NEEDS);
  }

  @Test
  void composeAppliesTheProfileUnmasksProcAndTurnsTheSandboxOn() {
    JsonNode goosed = Repo.yaml("docker-compose.yml").path("services").path("goosed");
    List<String> options = texts(goosed.path("security_opt"));
    assertThat(options)
        .contains("seccomp:./" + PROFILE, "systempaths=unconfined", "apparmor:unconfined")
        .noneMatch(o -> o.equals("seccomp:unconfined") || o.equals("seccomp=unconfined"));
    assertThat(goosed.path("privileged").asBoolean(false)).isFalse();
    assertThat(goosed.path("cap_add").isMissingNode()).as("no capability is added").isTrue();
    assertThat(goosed.path("environment").path("GOOSE_SANDBOX").asText()).isEqualTo("on");
  }

  @Test
  void kubernetesRunsThePodWithTheProfileAUserNamespaceAndAnUnmaskedProc() {
    JsonNode spec =
        Repo.yaml("deploy/k8s/base/deployment.yaml").path("spec").path("template").path("spec");
    assertThat(spec.path("hostUsers").asBoolean(true)).isFalse();
    JsonNode pod = spec.path("securityContext");
    assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("Localhost");
    assertThat(pod.path("seccompProfile").path("localhostProfile").asText())
        .isEqualTo("profiles/goosed-bwrap.json");
    assertThat(pod.path("appArmorProfile").path("type").asText()).isEqualTo("Unconfined");
    JsonNode container = spec.path("containers").get(0);
    JsonNode security = container.path("securityContext");
    assertThat(security.path("procMount").asText()).isEqualTo("Unmasked");
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(texts(security.path("capabilities").path("drop"))).containsExactly("ALL");
    assertThat(security.path("privileged").asBoolean(false)).isFalse();
    JsonNode sandbox = null;
    for (JsonNode e : container.path("env"))
      if (e.path("name").asText().equals("GOOSE_SANDBOX")) sandbox = e;
    assertThat(sandbox).isNotNull();
    assertThat(sandbox.path("value").asText()).isEqualTo("on");
    assertThat(Repo.read("docs/deployment.md"))
        .as("the docs say where the profile goes on a node")
        .contains("profiles/goosed-bwrap.json")
        .contains(PROFILE);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}

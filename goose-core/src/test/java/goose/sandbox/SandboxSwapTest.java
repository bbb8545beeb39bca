package goose.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's tools may rename and link inside their workspace; none of that may carry a later
 * launch out of it. A session's directory swapped for a link to another user's workspace, and a
 * parent of the server's own directories moved aside, are the two ways a review found; each is
 * tried here with the real bwrap.
 */
@Timeout(120)
class SandboxSwapTest {
  @TempDir Path root;
  SandboxFixture f;
  Path proj;

  @BeforeEach
  void open() throws IOException {
    f = new SandboxFixture(root);
    proj = Files.createDirectories(f.alice.resolve("proj"));
  }

  @Test
  void aSessionDirectorySwappedForALinkIsRefusedByEveryToolNotFollowed() throws Exception {
    assertThat(run(proj, "pwd").output().strip()).isEqualTo(proj.toString());
    // From alice's other session, in her workspace: proj becomes a link to bob's.
    assertThat(f.bash("mv proj proj.old && ln -s ../bob proj").exitCode()).isZero();

    assertThatThrownBy(() -> run(proj, "cat private.txt; touch pwned"))
        .hasMessageContaining("now goes through a symbolic link (" + proj + ")")
        .hasMessageNotContaining(f.bob.toString());
    assertThatThrownBy(() -> f.sandbox.files(proj)).hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> f.sandbox.workspace(proj)).hasMessageContaining("symbolic link");
    assertThat(Files.exists(f.bob.resolve("pwned"))).isFalse();
  }

  @Test
  void aLinkSwappedInAfterTheCheckStopsTheToolBeforeItRunsAndTheEditorToo() throws Exception {
    WorkspaceDir checked = WorkspaceDir.open(proj);
    WorkspaceFiles files = f.sandbox.files(proj);
    // The swap lands between the check and bwrap's mount (or the editor's next step).
    Files.move(proj, f.alice.resolve("proj.old"));
    Files.createSymbolicLink(proj, Path.of("../bob"));

    List<String> argv =
        Bubblewrap.open(f.sandbox.settings())
            .argv(List.of("bash", "-c", "cat private.txt; touch pwned"), checked);
    Process p = new ProcessBuilder(argv).directory(root.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(126);
    assertThat(out).contains("the working directory changed").doesNotContain("bob's private");
    assertThat(Files.exists(f.bob.resolve("pwned"))).isFalse();

    assertThatThrownBy(() -> files.read(proj.resolve("private.txt")))
        .hasMessageContaining("changed while in use");
  }

  @Test
  void theParentsOfTheServersDirectoriesInAWorkspaceCannotBeMovedAside() throws Exception {
    // root holds server/{config,data,state}: server is the parent the review moved aside.
    SandboxFixture.Run moved =
        run(root, "mv server server.x; mv server/data server/data.x; ls -A server.x server/data");
    assertThat(moved.exitCode()).isNotZero();
    assertThat(moved.output()).contains("Device or resource busy").doesNotContain("sessions");
    assertThat(Files.isDirectory(f.config.paths().dataDir().resolve("sessions"))).isTrue();
    assertThat(run(root, "ls -A server/data").output()).isEmpty();
  }

  @Test
  void aServerDirectoryMissingFromAWorkspaceStopsItsToolsAndMissingOnesAreMadeAtTheStart()
      throws Exception {
    Path state = f.config.paths().stateDir();
    Path aside = state.resolveSibling("state.x");
    Files.move(state, aside);
    try {
      assertThatThrownBy(() -> run(root, "ls"))
          .hasMessageContaining("the server's directory " + state)
          .hasMessageContaining("is missing");
      assertThat(run(f.alice, "true").exitCode()).as("a workspace without it").isZero();
    } finally {
      Files.move(aside, state);
    }

    Path fresh = root.resolve("fresh");
    var config =
        goose.config.Config.load(
            Map.of("GOOSE_PATH_ROOT", fresh.toString(), "GOOSE_SANDBOX", "on"),
            root.resolve("home"));
    Sandbox.open(config, SandboxSettings.from(config, "tokens", true));
    for (Path dir :
        List.of(config.paths().configDir(), config.paths().dataDir(), config.paths().stateDir()))
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .as(dir.toString())
          .isEqualTo("rwx------");
  }

  private SandboxFixture.Run run(Path workspace, String line) throws IOException {
    ToolProcess p =
        f.sandbox.start(
            new ToolLaunch(
                List.of("bash", "-c", line),
                workspace,
                Map.of(),
                ToolLaunch.Streams.MERGED_WITHOUT_INPUT,
                ToolLaunch.Kind.SESSION));
    byte[] out = p.process().getInputStream().readAllBytes();
    try {
      assertThat(p.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new SandboxFixture.Run(
        p.process().exitValue(), new String(out, StandardCharsets.UTF_8), p.limitReached());
  }
}

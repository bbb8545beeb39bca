package goose.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one question asked of the door: what can a process started through it see? The system
 * read-only, its workspace read-write, a private /tmp, its own processes, a clean environment, and
 * nothing else: not the server's config, secrets, store or logs, not another user's workspace, not
 * another process's environment. Runs as root (CI) and as any other user.
 */
@Timeout(120)
class SandboxDoorTest {
  /** What the sandbox sets itself, and what bash sets for itself. */
  static final Set<String> SET_BY_SANDBOX_OR_SHELL =
      Set.of("PATH", "HOME", "LANG", "TERM", "TMPDIR", "PWD", "OLDPWD", "SHLVL", "_");

  @TempDir Path root;
  SandboxFixture f;

  @BeforeEach
  void open() {
    f = new SandboxFixture(root);
  }

  @Test
  void theFileSystemIsTheSystemReadOnlyTheWorkspaceAndAPrivateTmp() throws Exception {
    Set<String> top = lines(f.bash("ls -A /").output());
    Set<String> allowed =
        new HashSet<>(
            Set.of(
                "bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "dev", "proc",
                "tmp", "var"));
    allowed.add(f.alice.getName(0).toString());
    assertThat(allowed).containsAll(top);
    assertThat(top).contains("usr", "etc", "proc", "tmp");

    SandboxFixture.Run write =
        f.bash("echo made > made.txt && cat made.txt && mkdir -p sub/dir && touch sub/dir/x");
    assertThat(write.exitCode()).as(write.output()).isZero();
    assertThat(Files.readString(f.alice.resolve("made.txt"))).isEqualTo("made\n");
    assertThat(Files.exists(f.alice.resolve("sub/dir/x"))).isTrue();

    for (String path : List.of("/usr/x", "/etc/x", "/x", "/var/x")) {
      assertThat(f.bash("touch " + path).exitCode()).as("writing %s", path).isNotZero();
    }
    assertThat(f.bash("echo private > /tmp/t && cat /var/tmp/t").output()).isEqualTo("private\n");
    assertThat(Files.exists(Path.of("/tmp/t"))).as("the sandbox's /tmp is its own").isFalse();
  }

  @Test
  void theServersFilesAndOtherWorkspacesAreNotThere() {
    for (Path p :
        List.of(
            f.config.paths().secretsFile(),
            f.config.paths().sessionsDir().resolve("sessions.db"),
            f.config.paths().logsDir().resolve("goosed.log"),
            f.bob.resolve("private.txt"))) {
      SandboxFixture.Run read = f.bash("cat '" + p + "'");
      assertThat(read.exitCode()).as("reading %s: %s", p, read.output()).isNotZero();
      assertThat(read.output()).doesNotContain(SandboxFixture.SECRET).doesNotContain("bob's");
    }
    assertThat(f.bash("ls '" + f.bob.getParent() + "'").output().strip())
        .as("only alice's workspace exists under the workspaces root")
        .isEqualTo("alice");
    SandboxFixture.Run grep =
        f.bash("grep -rs '" + SandboxFixture.SECRET + "' / --exclude-dir=proc --exclude-dir=usr");
    assertThat(grep.output()).doesNotContain(SandboxFixture.SECRET);
    assertThat(f.bash("cat /etc/shadow").exitCode()).as("password hashes").isNotZero();
  }

  @Test
  void serverDirectoriesInsideTheWorkspaceAreEmptyAndReadOnly() throws Exception {
    Path wide = root; // a workspace that contains the server's own directories
    var launch =
        new ToolLaunch(
            List.of(
                "bash",
                "-c",
                "ls -A server/data server/config; cat server/config/secrets.yaml;"
                    + " touch server/data/x"),
            wide,
            Map.of(),
            ToolLaunch.Streams.MERGED_WITHOUT_INPUT,
            ToolLaunch.Kind.SESSION);
    ToolProcess p = f.sandbox.start(launch);
    String out = new String(p.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.process().waitFor();
    assertThat(out).doesNotContain(SandboxFixture.SECRET).doesNotContain("sessions");
    assertThat(p.process().exitValue()).isNotZero();
    assertThat(Files.exists(f.config.paths().dataDir().resolve("x"))).isFalse();
  }

  @Test
  void onlyItsOwnProcessesAreVisibleAndTheEnvironmentIsClean() {
    Set<String> pids =
        lines(f.bash("ls /proc").output()).stream()
            .filter(s -> s.matches("\\d+"))
            .collect(Collectors.toSet());
    assertThat(pids.size()).as("pids %s", pids).isLessThanOrEqualTo(4);
    assertThat(pids).doesNotContain(Long.toString(ProcessHandle.current().pid()));

    SandboxFixture.Run env =
        f.run(List.of("cat", "/proc/self/environ"), Map.of("GIVEN", "to-the-tool"));
    Map<String, String> vars =
        Arrays.stream(env.output().split("\0"))
            .filter(s -> s.contains("="))
            .collect(
                Collectors.toMap(
                    s -> s.substring(0, s.indexOf('=')), s -> s.substring(s.indexOf('=') + 1)));
    assertThat(vars.keySet())
        .containsExactlyInAnyOrder("PATH", "HOME", "LANG", "TERM", "TMPDIR", "PWD", "GIVEN");
    assertThat(vars.get("HOME")).isEqualTo(f.alice.toString());

    SandboxFixture.Run others = f.bash("cat /proc/[0-9]*/environ | tr '\\0' '\\n' | sort -u");
    for (String name : System.getenv().keySet()) {
      if (SET_BY_SANDBOX_OR_SHELL.contains(name)) continue;
      assertThat(others.output()).as("the server's %s", name).doesNotContain(name + "=");
    }
    SandboxFixture.Run parent = f.bash("cat /proc/$PPID/environ /proc/1/environ | tr '\\0' '\\n'");
    assertThat(parent.output()).doesNotContain("GOOSE_PATH_ROOT").doesNotContain("JAVA");
  }

  @Test
  void anExtensionsServerHasAPrivateEmptyHomeAndInterpretersLoadNothingFromTheWorkspace()
      throws Exception {
    Files.writeString(f.alice.resolve(".npmrc"), "userconfig-in-the-workspace\n");
    SandboxFixture.Run r =
        f.run(
            List.of(
                "bash",
                "-c",
                "echo \"$HOME|$PYTHONNOUSERSITE|$PYTHONSAFEPATH|$NPM_CONFIG_USERCONFIG"
                    + "|$NPM_CONFIG_CACHE|$GIVEN\"; ls -A ~; echo made > ~/f && cat ~/f; pwd"),
            Map.of("GIVEN", "x"),
            ToolLaunch.Kind.EXTENSION);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .isEqualTo("/tmp/goose-home|1|1|/dev/null|/tmp/goose-home/.npm|x\nmade\n" + f.alice + "\n");
    assertThat(f.alice.resolve("f")).doesNotExist();

    SandboxFixture.Run session = f.bash("echo $HOME; ls -A ~; echo ${PYTHONSAFEPATH:-unset}");
    assertThat(session.output()).isEqualTo(f.alice + "\n.npmrc\nunset\n");
  }

  @Test
  void thePrivateHomeIsNeverInsideOrAroundWhatTheSandboxShows() {
    Path tmpHome = Path.of("/tmp/goose-home");
    Path runHome = Path.of("/run/goose-home");
    assertThat(Bubblewrap.privateHome(List.of(Path.of("/usr"), Path.of("/home/alice"))))
        .contains(tmpHome);
    assertThat(Bubblewrap.privateHome(List.of(Path.of("/tmp")))).contains(runHome);
    assertThat(Bubblewrap.privateHome(List.of(Path.of("/tmp/goose-home/alice")))).contains(runHome);
    assertThat(Bubblewrap.privateHome(List.of(Path.of("/tmp/goose-home-2")))).contains(tmpHome);
    assertThat(Bubblewrap.privateHome(List.of(Path.of("/tmp/goose-home/a"), Path.of("/run"))))
        .isEmpty();
  }

  @Test
  void theLaunchEnvironmentNeverAppearsOnACommandLine() {
    String token = "tok-" + System.nanoTime();
    SandboxFixture.Run r =
        f.run(
            List.of("bash", "-c", "tr '\\0' ' ' < /proc/1/cmdline; echo; echo \"$API_TOKEN\""),
            Map.of("API_TOKEN", token));
    List<String> out = r.output().lines().toList();
    assertThat(out.get(0)).as("pid 1 is bwrap").contains("bwrap").doesNotContain(token);
    assertThat(out.get(1)).isEqualTo(token);
  }

  @Test
  void ownNamespacesAndNoPrivileges() {
    SandboxFixture.Run r =
        f.bash(
            "hostname; grep CapEff /proc/self/status; unshare -U true && echo nested-userns;"
                + " cat /proc/net/dev | tail -n +3 | cut -d: -f1");
    assertThat(r.output()).contains("goose-sandbox").contains("CapEff:\t0000000000000000");
    assertThat(r.output()).doesNotContain("nested-userns");
  }

  @Test
  void networkOffLeavesOnlyLoopback() throws Exception {
    SandboxFixture off = new SandboxFixture(root.resolve("off"), "GOOSE_SANDBOX_NETWORK", "off");
    Set<String> interfaces =
        lines(off.bash("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '").output());
    assertThat(interfaces).containsExactly("lo");
    Set<String> shared =
        lines(f.bash("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '").output());
    Set<String> host =
        Files.readAllLines(Path.of("/proc/net/dev")).stream()
            .skip(2)
            .map(l -> l.substring(0, l.indexOf(':')).strip())
            .collect(Collectors.toSet());
    assertThat(shared).as("network on: the host's interfaces").isEqualTo(host);
  }

  @Test
  void aProgramOutsideWhatTheSandboxShowsIsRefusedWithTheSettingToUse() throws Exception {
    Path tool = Files.createDirectories(root.resolve("tools/bin")).resolve("hello");
    Files.writeString(tool, "#!/bin/sh\necho hello from the tool\n");
    tool.toFile().setExecutable(true);
    var launch =
        new ToolLaunch(
            List.of(tool.toString()),
            f.alice,
            Map.of(),
            ToolLaunch.Streams.MERGED_WITHOUT_INPUT,
            ToolLaunch.Kind.SESSION);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.sandbox.start(launch))
        .hasMessageContaining("not visible inside the sandbox")
        .hasMessageContaining("GOOSE_SANDBOX_READ_ONLY");

    SandboxFixture shown =
        new SandboxFixture(
            root.resolve("shown"), "GOOSE_SANDBOX_READ_ONLY", root.resolve("tools").toString());
    ToolProcess p =
        shown.sandbox.start(
            new ToolLaunch(
                List.of(tool.toString()),
                shown.alice,
                Map.of(),
                ToolLaunch.Streams.MERGED_WITHOUT_INPUT,
                ToolLaunch.Kind.SESSION));
    assertThat(new String(p.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("hello from the tool\n");
    assertThat(shown.bash("touch '" + tool + "'").exitCode()).as("read-only").isNotZero();
  }

  private static Set<String> lines(String text) {
    return text.lines().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }
}

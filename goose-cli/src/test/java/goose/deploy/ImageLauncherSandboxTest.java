package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import goose.testing.Repo;
import goose.testing.deploy.Dockerfile;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's launcher ({@code deploy/docker/goose}) with the image's own environment (the
 * Dockerfile's {@code ENV}) refuses to start multi-user without a working sandbox: here bwrap fails
 * the way it does in a container whose seccomp profile forbids namespaces. No Docker engine runs
 * here, so the launcher runs as a plain process, with this build's class path in place of
 * /opt/goose.
 */
@Timeout(120)
class ImageLauncherSandboxTest {
  private static final Dockerfile FILE = Dockerfile.parse(Repo.read("Dockerfile"));
  private static final Dockerfile RUNTIME = FILE.stage("");

  /** The image's operating system: its Debian packages (the last stage is built on it). */
  private static final Dockerfile OS = FILE.stage("os");

  @TempDir Path dir;

  @Test
  void theImageTurnsTheSandboxOnAndInstallsBubblewrap() {
    assertThat(imageEnvironment()).containsEntry("GOOSE_SANDBOX", "on");
    assertThat(RUNTIME.last("FROM").words()).containsExactly("os");
    assertThat(OS.run("apt-get").arguments()).contains("bubblewrap");
  }

  @Test
  void withoutAWorkingSandboxTheLauncherRefusesToStartMultiUser() throws Exception {
    Path bwrap = dir.resolve("bwrap");
    Files.writeString(
        bwrap,
        "#!/bin/sh\necho 'bwrap: Creating new namespace failed: Operation not permitted' >&2\nexit 1\n");
    Files.setPosixFilePermissions(bwrap, PosixFilePermissions.fromString("rwxr-xr-x"));
    String launcher =
        Repo.read("deploy/docker/goose")
            .replace(
                "/opt/goose/goose.jar:/opt/goose/lib/*", System.getProperty("java.class.path"));
    Path script = dir.resolve("launcher");
    Files.writeString(script, launcher);

    Map<String, String> env = new HashMap<>(imageEnvironment());
    env.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + "/usr/bin:/bin");
    env.put("HOME", dir.toString());
    env.put("GOOSE_PATH_ROOT", dir.resolve("root").toString());
    env.put("GOOSE_PORT", "0");
    env.put("GOOSE_AUTH", "tokens");
    env.put("GOOSE_BWRAP", bwrap.toString());
    // The image's JVM flags plus C1 alone, as every JVM the tests start (ChildJvm): the JVM's
    // compilers are not what this test is about, and C2 does not pay back in a run this short.
    env.merge("JAVA_OPTS", "-XX:TieredStopAtLevel=1", (image, c1) -> image + " " + c1);
    ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), "server");
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as("stdout %s, stderr %s", out, err).isEqualTo(2);
    assertThat(err.lines().filter(l -> l.startsWith("error: ")).toList())
        .singleElement()
        .asString()
        .contains("tools must run in a sandbox (GOOSE_SANDBOX=on)")
        .contains("bwrap: Creating new namespace failed: Operation not permitted")
        .contains("docs/sandbox.md");
  }

  /** The variables the Dockerfile's ENV sets ({@code KEY=value}, values possibly quoted). */
  private static Map<String, String> imageEnvironment() {
    Map<String, String> env = new HashMap<>();
    Matcher m =
        Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)")
            .matcher(RUNTIME.last("ENV").arguments());
    while (m.find()) env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
    return env;
  }
}

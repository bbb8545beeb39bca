package goose.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.config.Config;
import goose.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail closed: where the sandbox must be on and bwrap is missing or cannot create its namespaces,
 * opening the door fails with one line saying what to install or set; {@code auto} follows the auth
 * mode.
 */
@Timeout(60)
class SandboxStartTest {
  @TempDir Path root;

  private Config config(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_PATH_ROOT", root.resolve("server").toString());
    for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    return Config.load(env, root);
  }

  private static Sandbox open(Config config, boolean multiUser) {
    return Sandbox.open(
        config, SandboxSettings.from(config, multiUser ? "tokens" : "secret", multiUser));
  }

  @Test
  void autoIsOnInTheMultiUserModesAndOffOtherwise() {
    SandboxFixture.requireBwrap();
    assertThat(open(config(), true).confining()).isTrue();
    assertThat(open(config(), false).confining()).isFalse();
    assertThat(open(config("GOOSE_SANDBOX", "on"), false).confining()).isTrue();
    assertThat(open(config("GOOSE_SANDBOX", "off"), true).confining()).isFalse();
    assertThat(open(config(), true).describe())
        .startsWith("tools run in a bubblewrap sandbox (GOOSE_SANDBOX=auto in tokens mode");
    assertThat(open(config(), false).describe()).startsWith("tools are NOT sandboxed");
    assertThatThrownBy(() -> open(config("GOOSE_SANDBOX", "maybe"), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GOOSE_SANDBOX")
        .hasMessageContaining("auto, on, off");
  }

  @Test
  void aMissingBwrapStopsTheStartWithWhatToInstall() {
    assertOneLine(
        () -> open(config("PATH", root.resolve("no-bin").toString()), true),
        "bubblewrap (bwrap) is not installed",
        "apt-get install bubblewrap",
        "GOOSE_SANDBOX=off");
    assertOneLine(
        () -> open(config("GOOSE_BWRAP", "/nonexistent/bwrap"), true),
        "GOOSE_BWRAP is /nonexistent/bwrap, which is not an executable file");
  }

  @Test
  void aBwrapThatCannotCreateNamespacesStopsTheStart() throws Exception {
    Path fake = root.resolve("bwrap");
    Files.writeString(
        fake,
        "#!/bin/sh\necho 'bwrap: No permissions to create new namespace, likely because the"
            + " kernel does not allow non-privileged user namespaces.' >&2\nexit 1\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertOneLine(
        () -> open(config("GOOSE_BWRAP", fake.toString()), true),
        "cannot create its sandbox here (bwrap: No permissions to create new namespace",
        "docs/sandbox.md",
        "GOOSE_SANDBOX=off");
  }

  @Test
  void withTheSandboxOffNothingIsProbed() {
    Sandbox off = open(config("GOOSE_BWRAP", "/nonexistent/bwrap", "GOOSE_SANDBOX", "off"), true);
    assertThat(off.confining()).isFalse();
  }

  private static void assertOneLine(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable open, String... parts) {
    assertThatThrownBy(open)
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage().lines()).hasSize(1);
              assertThat(e.getMessage())
                  .startsWith("tools must run in a sandbox (")
                  .contains(parts);
            });
  }
}

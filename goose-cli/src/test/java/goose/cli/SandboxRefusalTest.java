package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goose server} in a multi-user mode without a working sandbox refuses to start: one line on
 * stderr saying what to install or set, exit code 2 like every other configuration error. Never
 * silently unsandboxed.
 */
@Timeout(60)
class SandboxRefusalTest {
  @TempDir Path home;

  private CliRun.Result server(String... env) {
    CliRun cli = new CliRun(home).env("GOOSE_PORT", "0").env("GOOSE_AUTH", "tokens");
    for (int i = 0; i < env.length; i += 2) cli.env(env[i], env[i + 1]);
    return cli.run("server");
  }

  private static void assertRefused(CliRun.Result result, String... parts) {
    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err())
        .startsWith("error: tools must run in a sandbox (GOOSE_SANDBOX=auto in tokens mode) but ")
        .contains(parts)
        .contains("GOOSE_SANDBOX=off")
        .doesNotContain("Exception");
  }

  @Test
  void withoutBwrapOnThePathTheServerRefusesToStart() {
    assertRefused(
        server("PATH", home.resolve("empty-bin").toString()),
        "bubblewrap (bwrap) is not installed",
        "apt-get install bubblewrap");
  }

  @Test
  void aGooseBwrapThatIsNotThereIsNamed() {
    assertRefused(
        server("GOOSE_BWRAP", "/nonexistent/bwrap"),
        "GOOSE_BWRAP is /nonexistent/bwrap, which is not an executable file");
  }

  @Test
  void proxyModeToo() {
    CliRun.Result result =
        new CliRun(home)
            .env("GOOSE_PORT", "0")
            .env("GOOSE_AUTH", "proxy")
            .env("GOOSE_TRUSTED_PROXIES", "127.0.0.1")
            .env("GOOSE_BWRAP", "/nonexistent/bwrap")
            .run("server");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("GOOSE_SANDBOX=auto in proxy mode").contains("GOOSE_BWRAP");
  }
}

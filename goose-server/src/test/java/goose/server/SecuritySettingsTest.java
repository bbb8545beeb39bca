package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.config.Config;
import goose.config.ConfigException;
import goose.server.auth.AuthMode;
import goose.server.auth.AuthSettings;
import goose.server.auth.IpRange;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unsafe or incomplete auth settings stop the start with one line saying what to set; the rest
 * parse as documented.
 */
class SecuritySettingsTest {
  @TempDir Path root;

  private Config config(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    return TestServer.config(root, env);
  }

  private String refusal(Config config) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(() -> GooseServer.start(config).close());
    assertThat(thrown).isInstanceOf(ConfigException.class);
    assertThat(thrown.getMessage()).doesNotContain("\n");
    return thrown.getMessage();
  }

  @Test
  void noAuthOffLoopbackRefusesToStartNamingWhatToSet() {
    String message = refusal(config("GOOSE_HOST", "0.0.0.0"));
    assertThat(message)
        .contains("GOOSE_AUTH")
        .contains("GOOSE_ALLOW_UNAUTHENTICATED=true")
        .contains("0.0.0.0");
    assertThat(refusal(config("GOOSE_HOST", "192.168.1.10", "GOOSE_AUTH", "none")))
        .contains("not a loopback address");
    assertThat(refusal(config("GOOSE_HOST", "myhost.example.com")))
        .as("a name other than localhost counts as not loopback")
        .contains("GOOSE_AUTH");
  }

  @Test
  void noAuthIsFineOnLoopbackAndOffItWhenExplicitlyAllowed() {
    for (String host : new String[] {"127.0.0.1", "localhost", "::1", "127.0.0.2"}) {
      assertThat(AuthSettings.from(config(), host).mode()).as(host).isEqualTo(AuthMode.NONE);
    }
    AuthSettings allowed =
        AuthSettings.from(config("GOOSE_ALLOW_UNAUTHENTICATED", "true"), "0.0.0.0");
    assertThat(allowed.mode()).isEqualTo(AuthMode.NONE);
    assertThat(allowed.unauthenticatedOffLoopback()).isTrue();
  }

  @Test
  void secretModeNeedsALongEnoughSecretAndNeverShowsIt() {
    assertThat(refusal(config("GOOSE_AUTH", "secret")))
        .contains("GOOSE_SERVER__SECRET_KEY is not set");
    String message = refusal(config("GOOSE_SERVER__SECRET_KEY", "short-secret"));
    assertThat(message).contains("shorter than 16").doesNotContain("short-secret");
    AuthSettings ok =
        AuthSettings.from(config("GOOSE_SERVER__SECRET_KEY", "0123456789abcdef"), "0.0.0.0");
    assertThat(ok.mode())
        .as("a secret alone selects secret mode, as in goose")
        .isEqualTo(AuthMode.SECRET);
    assertThat(ok.toString()).doesNotContain("0123456789abcdef");
  }

  @Test
  void proxyModeNeedsTrustedProxiesGivenAsAddresses() {
    assertThat(refusal(config("GOOSE_AUTH", "proxy"))).contains("GOOSE_TRUSTED_PROXIES is not set");
    assertThat(refusal(config("GOOSE_AUTH", "proxy", "GOOSE_TRUSTED_PROXIES", "proxy.example.com")))
        .contains("not an IP address or CIDR");
    assertThat(refusal(config("GOOSE_AUTH", "proxy", "GOOSE_TRUSTED_PROXIES", "10.0.0.0/33")))
        .contains("prefix length");
    assertThat(
            refusal(
                config(
                    "GOOSE_AUTH",
                    "proxy",
                    "GOOSE_TRUSTED_PROXIES",
                    "127.0.0.1",
                    "GOOSE_PROXY_USER_HEADER",
                    "X User")))
        .contains("header name");
    assertThat(
            refusal(
                config(
                    "GOOSE_AUTH",
                    "proxy",
                    "GOOSE_TRUSTED_PROXIES",
                    "127.0.0.1",
                    "GOOSE_ADMIN_USERS",
                    "../root")))
        .contains("GOOSE_ADMIN_USERS");
  }

  @Test
  void otherBadSettingsNameTheKey() {
    assertThat(refusal(config("GOOSE_AUTH", "kerberos")))
        .contains("GOOSE_AUTH: must be none, secret, tokens or proxy, got \"kerberos\"");
    assertThat(refusal(config("GOOSE_CORS_ORIGINS", "*")))
        .contains("GOOSE_CORS_ORIGINS")
        .contains("exact origins");
    assertThat(refusal(config("GOOSE_CORS_ORIGINS", "https://a.example.com/path")))
        .contains("no path");
    assertThat(refusal(config("GOOSE_WORKSPACES_ROOT", "relative/dir"))).contains("absolute");
    assertThat(refusal(config("GOOSE_WORKSPACES_ROOT", root.resolve("missing").toString())))
        .contains("not an existing directory");
  }

  @Test
  void ipRangesMatchPeersByPrefixWithoutDns() {
    IpRange ten = IpRange.parse("10.0.0.0/8");
    assertThat(ten.contains("10.200.3.4")).isTrue();
    assertThat(ten.contains("11.0.0.1")).isFalse();
    assertThat(ten.contains("::ffff:10.1.2.3")).as("IPv4-mapped IPv6").isTrue();
    assertThat(IpRange.parse("127.0.0.1").contains("127.0.0.1")).isTrue();
    assertThat(IpRange.parse("127.0.0.1").contains("127.0.0.2")).isFalse();
    assertThat(IpRange.parse("fd00::/8").contains("fd12::1")).isTrue();
    assertThat(IpRange.parse("fd00::/8").contains("10.0.0.1")).isFalse();
    assertThat(IpRange.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
    assertThat(ten.contains("localhost")).as("names are never resolved").isFalse();
    assertThat(ten.contains("999.1.1.1")).isFalse();
    assertThatThrownBy(() -> IpRange.parse("abc")).isInstanceOf(IllegalArgumentException.class);
  }
}

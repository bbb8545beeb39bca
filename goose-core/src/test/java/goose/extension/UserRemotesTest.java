package goose.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.config.Config;
import goose.extension.ExtensionConfig.Launch;
import goose.json.Json;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules for the remote MCP servers users (not admins) give: which addresses they may not reach,
 * the allowlist's {@code uri:} entries that lift that, the headers dropped.
 */
class UserRemotesTest {
  @TempDir Path home;

  private static Optional<String> kind(String address) throws Exception {
    return UserRemotes.forbidden(InetAddress.getByName(address));
  }

  @Test
  void everyAddressClassUsersMayNotReachIsNamed() throws Exception {
    Map<String, String> refused =
        Map.ofEntries(
            Map.entry("127.0.0.1", "loopback"),
            Map.entry("127.8.9.10", "loopback"),
            Map.entry("::1", "loopback"),
            Map.entry("::ffff:127.0.0.1", "loopback"),
            Map.entry("::127.0.0.1", "loopback"),
            Map.entry("64:ff9b::7f00:1", "loopback"),
            Map.entry("0.0.0.0", "unspecified"),
            Map.entry("0.1.2.3", "unspecified"),
            Map.entry("::", "unspecified"),
            Map.entry("169.254.169.254", "link-local"),
            Map.entry("fe80::1", "link-local"),
            Map.entry("10.1.2.3", "private"),
            Map.entry("172.16.0.1", "private"),
            Map.entry("172.31.255.254", "private"),
            Map.entry("192.168.1.1", "private"),
            Map.entry("fc00::1", "private"),
            Map.entry("fd12:3456::1", "private"),
            Map.entry("100.64.0.1", "CGNAT"),
            Map.entry("100.127.255.254", "CGNAT"),
            Map.entry("224.0.0.1", "multicast"),
            Map.entry("ff02::1", "multicast"),
            Map.entry("255.255.255.255", "broadcast"),
            Map.entry("240.0.0.1", "reserved"),
            Map.entry("198.18.0.1", "benchmarking"),
            Map.entry("192.0.2.2", "documentation"),
            Map.entry("203.0.113.9", "documentation"),
            Map.entry("2002:7f00:1::", "loopback"), // 6to4 around 127.0.0.1
            Map.entry("2002:c0a8:101::1", "private"));
    for (Map.Entry<String, String> e : refused.entrySet())
      assertThat(kind(e.getKey())).as(e.getKey()).hasValueSatisfying(k -> k.contains(e.getValue()));
    for (String reachable :
        new String[] {
          "93.184.216.34",
          "8.8.8.8",
          "172.32.0.1",
          "100.128.0.1",
          "2606:4700::1111",
          "64:ff9b::808:808"
        }) assertThat(kind(reachable)).as(reachable).isEmpty();
  }

  @Test
  void theHostsOwnAddressesAreRefusedWhateverTheirClass() throws Exception {
    // A public address of the server reaches what it binds on every interface, firewall or not.
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()))
      for (InetAddress own : java.util.Collections.list(nic.getInetAddresses()))
        assertThat(UserRemotes.ownAddress(own))
            .as(own.toString())
            .hasValueSatisfying(k -> assertThat(k).contains("this host"));
    assertThat(UserRemotes.ownAddress(InetAddress.getByName("93.184.216.34"))).isEmpty();
  }

  @Test
  void aLoopbackServerIsRefusedWithTheAddressAndItsClass() {
    UserRemotes rules = new UserRemotes(config(Map.of()), Allowlist.none());
    assertThatThrownBy(() -> rules.admit(http("http://127.0.0.1:9/mcp", Map.of())))
        .isInstanceOf(ExtensionException.NotAllowed.class)
        .hasMessageContaining(
            "http MCP server http://127.0.0.1:9/mcp resolves to 127.0.0.1, a loopback address:"
                + " user-supplied servers may not reach loopback, private or link-local addresses");
    assertThatThrownBy(() -> rules.admit(http("http://[::1]:9/mcp", Map.of())))
        .hasMessageContaining("a loopback address");
    assertThatThrownBy(() -> rules.admit(http("http://localhost:9/mcp", Map.of())))
        .hasMessageContaining("a loopback address");
    assertThatThrownBy(() -> rules.admit(http("http://169.254.169.254/latest/meta-data", Map.of())))
        .hasMessageContaining("169.254.169.254, a link-local address");
    assertThatThrownBy(
            () ->
                rules
                    .guard(http("http://10.0.0.1/mcp", Map.of()))
                    .check(URI.create("http://10.0.0.1/mcp")))
        .as("every request is checked again")
        .hasMessageContaining("a private address");
    assertThatThrownBy(() -> rules.admit(http("http://no-such-host.invalid/mcp", Map.of())))
        .isInstanceOf(ExtensionException.Invalid.class)
        .hasMessageContaining("does not resolve");
  }

  @Test
  void anAllowlistUriEntryNamingTheServerLiftsTheRule() throws Exception {
    Path list = home.resolve("allowlist.yaml");
    Files.writeString(list, "extensions:\n  - id: local\n    uri: http://127.0.0.1:9/mcp\n");
    UserRemotes rules = new UserRemotes(config(Map.of()), Allowlist.of(list.toString()));
    ExtensionConfig named = http("http://127.0.0.1:9/mcp", Map.of());
    assertThatCode(() -> rules.admit(named)).doesNotThrowAnyException();
    assertThatCode(() -> rules.guard(named).check(URI.create("http://127.0.0.1:9/mcp")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> rules.admit(http("http://127.0.0.1:9/other", Map.of())))
        .as("only the URL the entry names")
        .hasMessageContaining("loopback");
  }

  @Test
  void hopByHopHeadersAndTheProxysUserHeaderAreDropped() throws Exception {
    Path list = home.resolve("allowlist.yaml");
    Files.writeString(list, "extensions:\n  - id: local\n    uri: http://127.0.0.1:9/mcp\n");
    UserRemotes rules =
        new UserRemotes(
            config(Map.of("GOOSE_PROXY_USER_HEADER", "X-Goose-User")),
            Allowlist.of(list.toString()));
    ExtensionConfig admitted =
        rules.admit(
            http(
                "http://127.0.0.1:9/mcp",
                Map.of(
                    "Authorization", "Bearer mine",
                    "X-Test", "1",
                    "x-goose-user", "admin",
                    "Proxy-Authorization", "Basic eA==",
                    "Keep-Alive", "timeout=5",
                    "TE", "trailers")));
    assertThat(((Launch.StreamableHttp) admitted.launch()).headers())
        .containsOnlyKeys("Authorization", "X-Test");
  }

  private Config config(Map<String, String> env) {
    return Config.load(env, home);
  }

  private static ExtensionConfig http(String uri, Map<String, String> headers) {
    ObjectNode n = Json.object().put("name", "remote").put("type", "streamable_http");
    n.put("uri", uri);
    n.set("headers", Json.MAPPER.valueToTree(headers));
    return ExtensionConfigs.parse(n);
  }
}

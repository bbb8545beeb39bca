package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import goose.user.UserStore;
import goose.user.UserStores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /extensions} never shows a user who is not an admin the credentials an admin put into
 * an extension: URL user-info and query values, secrets among the arguments, header and environment
 * values (the latter not even to admins). A real server in tokens mode.
 */
@Timeout(60)
class ExtensionCredentialsTest {
  @TempDir Path root;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void nonAdminsSeeExtensionsWithTheirCredentialsMasked() {
    server = TestServer.start(root, Map.of("GOOSE_AUTH", "tokens"));
    String admin;
    String alice;
    try (UserStore users = UserStores.open(server.config)) {
      admin = users.add("ops", true).token();
      alice = users.add("alice", false).token();
    }
    String[] asAdmin = {"Authorization", "Bearer " + admin};
    String[] asAlice = {"Authorization", "Bearer " + alice};
    assertThat(
            post(
                    asAdmin,
                    """
                    {"name":"db","type":"stdio","cmd":"mysql","enabled":false,
                     "args":["-u","app","-pS3CRET1","--token","S3CRET2","--api-key=S3CRET3","--db","main"],
                     "envs":{"PLAIN":"S3CRET4"}}""")
                .status())
        .isEqualTo(200);
    assertThat(
            post(
                    asAdmin,
                    """
                    {"name":"remote","type":"streamable_http","enabled":false,
                     "uri":"https://bot:S3CRET5@mcp.example.com:8443/mcp?key=S3CRET6&region=eu",
                     "headers":{"Authorization":"Bearer S3CRET7"}}""")
                .status())
        .isEqualTo(200);

    Exchange seen = Exchange.send(server.server.uri(), "GET", "/extensions", null, asAlice);
    assertThat(seen.status()).isEqualTo(200);
    assertThat(seen.body())
        .doesNotContain("S3CRET")
        .contains("https://****@mcp.example.com:8443/mcp?key=****&region=****")
        .contains("\"--db\",\"main\"")
        .contains("\"-u\",\"app\"")
        .contains("\"PLAIN\"")
        .contains("\"Authorization\"");
    SpecCheck.check("GET", "/extensions", new ApiClient.Response(200, seen.headers(), seen.body()));

    Exchange asConfigured = Exchange.send(server.server.uri(), "GET", "/extensions", null, asAdmin);
    assertThat(asConfigured.body())
        .as("an admin sees the launch as configured")
        .contains("S3CRET1", "S3CRET2", "S3CRET3", "S3CRET5", "S3CRET6")
        .as("but never header or environment values")
        .doesNotContain("S3CRET4")
        .doesNotContain("S3CRET7");
  }

  private Exchange post(String[] who, String body) {
    return Exchange.send(server.server.uri(), "POST", "/extensions", body, who);
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import goose.json.Json;
import goose.server.auth.Workspaces;
import goose.user.UserStore;
import goose.user.UserStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data belongs to user ids, on a real server: a user removed and added again (same name, new id)
 * owns none of the first one's sessions or workspace; and an imported session must work inside its
 * importer's workspace, like a created one.
 */
@Timeout(120)
class OwnershipTest {
  @TempDir Path root;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private Exchange call(String method, String path, String body, String... headers) {
    return Exchange.send(server.server.uri(), method, path, body, headers);
  }

  private static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }

  @Test
  void aLaterUserOfTheSameNameOwnsNothingOfTheRemovedOne() throws Exception {
    Path workspaces = Files.createDirectories(root.resolve("workspaces"));
    server =
        TestServer.start(
            root, Map.of("GOOSE_AUTH", "tokens", "GOOSE_WORKSPACES_ROOT", workspaces.toString()));
    String firstToken;
    try (UserStore users = UserStores.open(server.config)) {
      firstToken = users.add("alice", false).token();
    }
    Path home = workspaces.resolve("alice");
    Exchange created = call("POST", "/sessions", "{\"cwd\":\"" + home + "\"}", bearer(firstToken));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String first = Json.parse(created.body()).get("id").asText();
    Files.writeString(home.resolve("diary.txt"), "the first alice's secret");

    String secondToken;
    try (UserStore users = UserStores.open(server.config)) {
      assertThat(users.remove("alice")).isTrue();
      secondToken = users.add("alice", false).token();
    }
    assertThat(call("GET", "/sessions", null, bearer(firstToken)).status()).isEqualTo(401);
    Exchange listed = call("GET", "/sessions", null, bearer(secondToken));
    assertThat(listed.status()).isEqualTo(200);
    assertThat(Json.parse(listed.body()).get("sessions")).isEmpty();
    Exchange old = call("GET", "/sessions/" + first, null, bearer(secondToken));
    assertThat(old.status()).isEqualTo(404);
    assertThat(old.isJsonError("not_found")).isTrue();

    Exchange refused = call("POST", "/sessions", "{\"cwd\":\"" + home + "\"}", bearer(secondToken));
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body()).contains("earlier user named alice");

    Path retired = Workspaces.fromConfig(server.config).retire("alice").orElseThrow();
    assertThat(retired.resolve("diary.txt")).exists();
    Exchange fresh = call("POST", "/sessions", "{\"cwd\":\"" + home + "\"}", bearer(secondToken));
    assertThat(fresh.status()).as(fresh.body()).isEqualTo(201);
    assertThat(home.resolve("diary.txt")).as("the new alice starts empty").doesNotExist();
  }

  /** A server behind an authenticating proxy on loopback, with workspaces under {@code root}. */
  private TestServer behindProxy(Path workspaces) {
    return TestServer.start(
        root,
        Map.of(
            "GOOSE_AUTH",
            "proxy",
            "GOOSE_TRUSTED_PROXIES",
            "127.0.0.1",
            "GOOSE_WORKSPACES_ROOT",
            workspaces.toString()));
  }

  @Test
  void theErrorsDoNotTellWhatExistsOutsideTheUsersWorkspace() throws Exception {
    Path workspaces = Files.createDirectories(root.resolve("workspaces"));
    server = behindProxy(workspaces);
    Path secret = Files.createDirectories(workspaces.resolve("alice/secret-project"));
    List<String> refusals = new ArrayList<>();
    for (Path cwd : List.of(secret, workspaces.resolve("alice/no-such-project"))) {
      Exchange create =
          call("POST", "/sessions", "{\"cwd\":\"" + cwd + "\"}", "X-Remote-User", "bob");
      assertThat(create.status()).as(create.body()).isEqualTo(400);
      refusals.add(Json.parse(create.body()).at("/error/message").asText());
    }
    assertThat(refusals.get(0)).contains("must lie inside your workspace");
    assertThat(refusals.get(1)).as("a missing directory outside").isEqualTo(refusals.get(0));
    Exchange ownMissing =
        call(
            "POST",
            "/sessions",
            "{\"cwd\":\"" + workspaces.resolve("bob/not-yet") + "\"}",
            "X-Remote-User",
            "bob");
    assertThat(ownMissing.body()).as("in the workspace").contains("not an existing directory");
  }

  @Test
  void anImportedSessionMustWorkInsideTheImportersWorkspace() throws Exception {
    Path workspaces = Files.createDirectories(root.resolve("workspaces"));
    server = behindProxy(workspaces);
    Path alices = workspaces.resolve("alice");
    Exchange created =
        call("POST", "/sessions", "{\"cwd\":\"" + alices + "\"}", "X-Remote-User", "alice");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = Json.parse(created.body()).get("id").asText();
    String document =
        call("GET", "/sessions/" + id + "/export", null, "X-Remote-User", "alice").body();

    Exchange intoAlices = call("POST", "/sessions/import", document, "X-Remote-User", "bob");
    assertThat(intoAlices.status()).as(intoAlices.body()).isEqualTo(400);
    assertThat(intoAlices.isJsonError("invalid_field")).isTrue();
    assertThat(intoAlices.body()).contains("'cwd'").contains("workspace");

    Exchange viaQuery =
        call("POST", "/sessions/import?cwd=" + alices, document, "X-Remote-User", "bob");
    assertThat(viaQuery.status()).isEqualTo(400);
    assertThat(viaQuery.body()).contains("'cwd'");
    Files.createDirectories(workspaces.resolve("bob"));
    Path escape = Files.createSymbolicLink(workspaces.resolve("bob/escape"), alices);
    assertThat(
            call("POST", "/sessions/import?cwd=" + escape, document, "X-Remote-User", "bob")
                .status())
        .as("a symlink out of the workspace")
        .isEqualTo(400);
    assertThat(
            call(
                    "POST",
                    "/sessions/import?cwd=" + workspaces.resolve("bob/../alice"),
                    document,
                    "X-Remote-User",
                    "bob")
                .status())
        .as("..")
        .isEqualTo(400);
    Exchange bobsList = call("GET", "/sessions", null, "X-Remote-User", "bob");
    assertThat(Json.parse(bobsList.body()).get("sessions")).as("nothing imported").isEmpty();

    Exchange intoBobs =
        call(
            "POST",
            "/sessions/import?cwd=" + workspaces.resolve("bob"),
            document,
            "X-Remote-User",
            "bob");
    assertThat(intoBobs.status()).as(intoBobs.body()).isEqualTo(201);
    assertThat(Json.parse(intoBobs.body()).get("working_dir").asText())
        .isEqualTo(workspaces.resolve("bob").toRealPath().toString());
    assertThat(call("POST", "/sessions/import", document, "X-Remote-User", "alice").status())
        .as("into its own workspace")
        .isEqualTo(201);
  }
}

package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.Config;
import goose.server.GooseServer;
import goose.testing.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code goose users ...}, and that a running server in tokens mode sees its changes at once. */
@Timeout(120)
class UsersCommandTest {
  @TempDir Path home;

  private CliRun cli() {
    return new CliRun(home).env("GOOSE_PATH_ROOT", home.resolve("goose").toString());
  }

  private static String lastLine(String out) {
    List<String> lines = out.lines().toList();
    return lines.get(lines.size() - 1);
  }

  @Test
  void addListRotateRemove() {
    CliRun.Result added = cli().run("users", "add", "alice", "--admin");
    assertThat(added.exitCode()).as(added.err()).isZero();
    String token = lastLine(added.out());
    assertThat(token).startsWith("goose_").hasSize(49);
    assertThat(added.out()).contains("shown only now");
    assertThat(added.err()).as("reminds which mode uses the users").contains("GOOSE_AUTH=tokens");
    assertThat(cli().env("GOOSE_AUTH", "tokens").run("users", "list").err()).isEmpty();
    assertThat(cli().run("users", "add", "bob").exitCode()).isZero();

    CliRun.Result list = cli().run("users", "list");
    assertThat(list.out()).contains("alice  admin").contains("bob  user").doesNotContain(token);

    CliRun.Result again = cli().run("users", "add", "alice");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(again.err()).contains("error: user alice already exists");

    CliRun.Result rotated = cli().run("users", "rotate", "alice");
    assertThat(rotated.exitCode()).isZero();
    assertThat(lastLine(rotated.out())).startsWith("goose_").isNotEqualTo(token);

    assertThat(cli().run("users", "remove", "bob").exitCode()).isZero();
    assertThat(cli().run("users", "remove", "bob").exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli().run("users", "rotate", "nobody").err()).contains("no user nobody");
    assertThat(cli().run("users", "list").out()).doesNotContain("bob");

    CliRun.Result badName = cli().run("users", "add", "../etc");
    assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badName.err()).contains("invalid NAME");
  }

  @Test
  void theLocalNameIsReservedAndRemovingAUserRetiresItsWorkspaceAndItsSessions() throws Exception {
    Path workspaces = java.nio.file.Files.createDirectories(home.resolve("workspaces"));
    CliRun.Result local = cli().run("users", "add", "local", "--admin");
    assertThat(local.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(local.err()).contains("uses itself");

    CliRun first =
        cli().env("GOOSE_AUTH", "tokens").env("GOOSE_WORKSPACES_ROOT", workspaces.toString());
    assertThat(first.run("users", "add", "carol").exitCode()).isZero();
    Path doc = exportedSession("imported here");
    java.nio.file.Files.createDirectories(workspaces.resolve("carol/project"));
    CliRun.Result imported =
        first.run(
            "session",
            "import",
            doc.toString(),
            "--user",
            "carol",
            "--cwd",
            workspaces.resolve("carol/project").toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    CliRun.Result outside =
        first.run("session", "import", doc.toString(), "--user", "carol", "--cwd", home.toString());
    assertThat(outside.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(outside.err()).contains("outside the workspace of carol");
    assertThat(first.run("session", "list", "--user", "carol").out()).contains("imported here");

    CliRun.Result removed = first.run("users", "remove", "carol");
    assertThat(removed.exitCode()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("moved the workspace of carol to");
    assertThat(workspaces.resolve("carol")).doesNotExist();
    assertThat(first.run("users", "add", "carol").exitCode()).isZero();
    CliRun.Result listed = first.run("session", "list", "--user", "carol");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out())
        .as("the new carol sees none of the old one's sessions")
        .doesNotContain("imported here");
    assertThat(first.run("session", "list", "--user", "nobody").err()).contains("no user nobody");
  }

  /** A document of a session named {@code name}, exported from a store elsewhere. */
  private Path exportedSession(String name) throws IOException {
    Path file =
        java.nio.file.Files.createDirectories(home.resolve("other/sessions")).resolve("s.db");
    Path doc = home.resolve("session.json");
    try (goose.session.SessionStore store = goose.session.SessionStores.openSqlite(file)) {
      goose.session.Session s = store.create(new goose.session.NewSession("local", name, home));
      java.nio.file.Files.writeString(
          doc, goose.json.Json.write(goose.transfer.SessionTransfer.export(store, s)));
    }
    return doc;
  }

  @Test
  void aRunningServerSeesUsersAddedAndRemovedByAnotherProcessAtOnce() throws Exception {
    Map<String, String> env =
        Map.of(
            "GOOSE_PATH_ROOT",
            home.resolve("goose").toString(),
            "GOOSE_PORT",
            "0",
            "GOOSE_AUTH",
            "tokens");
    try (GooseServer server = GooseServer.start(Config.load(env, home))) {
      assertThat(get(server.uri(), "Bearer goose_nobody")).isEqualTo(401);

      ProcessBuilder child =
          new ProcessBuilder(javaCommand("users", "add", "carol"))
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      child
          .environment()
          .put("GOOSE_PATH_ROOT", home.resolve("goose").toString()); // the server's database
      Process process = child.start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(out).isZero();
      assertThat(out.lines().toList())
          .as("stdout is the message and the token, nothing else")
          .hasSize(2);
      String token = lastLine(out);

      assertThat(get(server.uri(), "Bearer " + token))
          .as("added by another process, seen at once")
          .isEqualTo(200);
      assertThat(cli().run("users", "remove", "carol").exitCode()).isZero();
      assertThat(get(server.uri(), "Bearer " + token))
          .as("removed, refused at once")
          .isEqualTo(401);
    }
  }

  @Test
  void theServerRefusesToStartOffLoopbackWithoutAuth() {
    CliRun.Result result = cli().env("GOOSE_HOST", "0.0.0.0").env("GOOSE_PORT", "0").run("server");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .hasLineCount(1)
        .startsWith("error: GOOSE_HOST is 0.0.0.0, not a loopback address")
        .contains("GOOSE_ALLOW_UNAUTHENTICATED=true");
  }

  private List<String> javaCommand(String... args) {
    List<String> command = ChildJvm.java();
    command.addAll(List.of("-Duser.home=" + home, "goose.cli.Main"));
    command.addAll(List.of(args));
    return command;
  }

  private static int get(URI base, String authorization) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/sessions"))
            .header("Authorization", authorization)
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}

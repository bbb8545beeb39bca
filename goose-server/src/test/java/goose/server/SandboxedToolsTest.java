package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.extension.TestServers;
import goose.json.Json;
import goose.provider.fake.FakeOpenAiServer;
import goose.user.UserStore;
import goose.user.UserStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox through the real server: tokens mode, two users, GOOSE_SANDBOX at its default (on in
 * this mode), a fake OpenAI provider that issues the tool calls. A shell call cannot read the
 * server's environment or any process's, its config, secrets, store or logs, or the other user's
 * workspace, and cannot change the store; the text editor cannot reach outside the workspace,
 * symbolic links and {@code ..} included; ordinary work in the workspace works; a stdio MCP server
 * started for a session sees only that session's workspace.
 */
@Timeout(300)
class SandboxedToolsTest {
  static final String PROVIDER_KEY = "sk-provider-key-never-in-a-tool-0123456789";
  static final String STORED_SECRET = "sk-stored-secret-never-in-a-tool-987654321";

  @TempDir static Path root;
  static FakeOpenAiServer openai;
  static TestServer goosed;
  static Path workspaces;
  static final Map<String, String[]> auth = new HashMap<>();
  static final Map<String, String> ids = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    openai = new FakeOpenAiServer();
    workspaces = Files.createDirectories(root.resolve("workspaces"));
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_AUTH", "tokens");
    env.put("GOOSE_WORKSPACES_ROOT", workspaces.toString());
    env.put("GOOSE_PROVIDER", "openai");
    env.put("OPENAI_HOST", openai.baseUri().toString());
    env.put("OPENAI_API_KEY", PROVIDER_KEY);
    env.put("GOOSE_RATE_LIMIT", "0");
    env.put("GOOSE_SANDBOX_READ_ONLY", TestServers.nodeModules().toString());
    Files.writeString(
        Files.createDirectories(root.resolve("config")).resolve("secrets.yaml"),
        "GITHUB_TOKEN: " + STORED_SECRET + "\n");
    goosed = TestServer.start(root, env);
    try (UserStore users = UserStores.open(goosed.config)) {
      for (String name : List.of("alice", "bob")) {
        goose.user.IssuedToken issued = users.add(name, false);
        auth.put(name, bearer(issued.token()));
        ids.put(name, issued.user().id()); // what owns the user's data (not the name)
      }
      auth.put("admin", bearer(users.add("admin", true).token()));
    }
    Files.writeString(workspace("bob").resolve("private.txt"), "bob's private notes");
  }

  @AfterAll
  static void stop() {
    if (goosed != null) goosed.close();
    if (openai != null) openai.close();
  }

  static Path workspace(String user) throws Exception {
    return Files.createDirectories(workspaces.resolve(user)).toRealPath();
  }

  static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }

  static String session(String user) throws Exception {
    return session(user, workspace(user));
  }

  static String session(String user, Path cwd) throws Exception {
    Exchange created =
        Exchange.send(
            goosed.server.uri(), "POST", "/sessions", "{\"cwd\":\"" + cwd + "\"}", auth.get(user));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return Json.parse(created.body()).get("id").asText();
  }

  /** One turn in which the model calls {@code tool}; the tool_result event's data. */
  static JsonNode call(String user, String session, String tool, Object... args) throws Exception {
    var arguments = Json.object();
    for (int i = 0; i < args.length; i += 2)
      arguments.set((String) args[i], Json.MAPPER.valueToTree(args[i + 1]));
    openai.enqueueToolCall(tool, Json.write(arguments));
    try (SseClient sse =
        SseClient.post(
            goosed.server.uri(),
            "/sessions/" + session + "/messages",
            "{\"content\":\"go\"}",
            auth.get(user))) {
      assertThat(sse.status).isEqualTo(200);
      return sse.untilComplete().stream()
          .filter(e -> e.name().equals("tool_result"))
          .findFirst()
          .orElseThrow()
          .data();
    }
  }

  static String text(JsonNode result) {
    StringBuilder sb = new StringBuilder();
    result.path("result").forEach(part -> sb.append(part.path("text").asText()));
    return sb.toString();
  }

  static boolean ok(JsonNode result) {
    return result.path("status").asText().equals("success");
  }

  static JsonNode shell(String user, String session, String command) throws Exception {
    return call(user, session, "developer__shell", "command", command);
  }

  static JsonNode editor(String user, String session, String command, String path, String... more)
      throws Exception {
    Object[] args = new Object[4 + more.length];
    args[0] = "command";
    args[1] = command;
    args[2] = "path";
    args[3] = path;
    System.arraycopy(more, 0, args, 4, more.length);
    return call(user, session, "developer__text_editor", args);
  }

  @Test
  void aShellCallSeesNoEnvironmentButItsOwn() throws Exception {
    String s = session("alice");
    JsonNode env =
        shell(
            "alice",
            s,
            "env; echo ---; for f in /proc/[0-9]*/environ /proc/$PPID/environ; do"
                + " tr '\\0' '\\n' < $f; done; echo ---; ls /proc | grep -c '^[0-9]'");
    String out = text(env);
    assertThat(ok(env)).as(out).isTrue();
    assertThat(out)
        .doesNotContain(PROVIDER_KEY)
        .doesNotContain(STORED_SECRET)
        .doesNotContain("OPENAI_")
        .doesNotContain("GOOSE_")
        .contains("HOME=" + workspace("alice"));
    int processes = Integer.parseInt(out.substring(out.lastIndexOf("---") + 3).strip());
    assertThat(processes).as("only the sandbox's own processes").isLessThanOrEqualTo(5);
  }

  @Test
  void aShellCallCannotReadTheServersFilesOrAnotherUsersWorkspace() throws Exception {
    String s = session("alice");
    var paths = goosed.config.paths();
    for (Path p :
        List.of(
            paths.secretsFile(),
            paths.configFile(),
            paths.sessionsDir().resolve("sessions.db"),
            paths.logsDir(),
            workspace("bob").resolve("private.txt"))) {
      JsonNode r = shell("alice", s, "cat '" + p + "' || ls -A '" + p + "'");
      assertThat(ok(r)).as("%s: %s", p, text(r)).isFalse();
      assertThat(text(r)).doesNotContain(STORED_SECRET).doesNotContain("bob's private");
    }
    JsonNode grep =
        shell("alice", s, "grep -rl 'sk-stored-secret' / --exclude-dir=proc --exclude-dir=usr");
    assertThat(text(grep)).doesNotContain("secrets.yaml");
  }

  @Test
  void aShellCallCannotChangeTheStore() throws Exception {
    Path db = goosed.config.paths().sessionsDir().resolve("sessions.db");
    String s = session("alice");
    JsonNode r =
        shell(
            "alice",
            s,
            "printf garbage >> '"
                + db
                + "'; rm -f '"
                + db
                + "'; sqlite3 '"
                + db
                + "' 'update users set admin=1' 2>&1; ls '"
                + db
                + "'");
    assertThat(ok(r)).isFalse();
    assertThat(Files.exists(db)).isTrue();
    Exchange sessions =
        Exchange.send(goosed.server.uri(), "GET", "/sessions", null, auth.get("alice"));
    assertThat(sessions.status()).isEqualTo(200);
    Exchange addExtension =
        Exchange.send(
            goosed.server.uri(), "POST", "/extensions", "{\"name\":\"x\"}", auth.get("alice"));
    assertThat(addExtension.status()).as("alice is still no admin").isEqualTo(403);
    assertThat(new String(Files.readAllBytes(db), java.nio.charset.StandardCharsets.ISO_8859_1))
        .as("the tool wrote nothing into it")
        .doesNotEndWith("garbage");
  }

  @Test
  void theTextEditorCannotReachOutsideTheWorkspace() throws Exception {
    String s = session("alice");
    Path secrets = goosed.config.paths().secretsFile();
    assertThat(ok(shell("alice", s, "ln -s '" + secrets + "' leak && ln -s ../bob bobs"))).isTrue();
    for (String path :
        List.of(
            "../bob/private.txt",
            workspace("bob").resolve("private.txt").toString(),
            secrets.toString(),
            "leak",
            "bobs/private.txt",
            "~/../bob/private.txt",
            "/etc/shadow")) {
      JsonNode view = editor("alice", s, "view", path);
      assertThat(ok(view)).as("view %s: %s", path, text(view)).isFalse();
      assertThat(text(view)).doesNotContain(STORED_SECRET).doesNotContain("bob's private");
    }
    JsonNode write =
        editor("alice", s, "write", "bobs/private.txt", "file_text", "overwritten by alice");
    assertThat(ok(write)).isFalse();
    assertThat(Files.readString(workspace("bob").resolve("private.txt")))
        .isEqualTo("bob's private notes");
  }

  @Test
  void aSessionDirectorySwappedForALinkToAnotherWorkspaceIsNotFollowed() throws Exception {
    // The review's attack: alice's second session works in proj; her first turns proj into a link
    // to bob's workspace; the second's shell and editor must not land there.
    String first = session("alice");
    Path proj = Files.createDirectories(workspace("alice").resolve("proj"));
    String second = session("alice", proj);
    assertThat(ok(shell("alice", second, "pwd"))).isTrue();

    assertThat(ok(shell("alice", first, "mv proj proj.old && ln -s ../bob proj"))).isTrue();
    JsonNode read = shell("alice", second, "cat private.txt; echo x > pwned.txt");
    assertThat(ok(read)).isFalse();
    assertThat(text(read)).contains("symbolic link").doesNotContain("bob's private");
    JsonNode viewed = editor("alice", second, "view", "private.txt");
    assertThat(ok(viewed)).isFalse();
    assertThat(text(viewed)).doesNotContain("bob's private");
    assertThat(Files.exists(workspace("bob").resolve("pwned.txt"))).isFalse();
  }

  @Test
  void theTextEditorDoesNotSayWhereALinkOutLeads() throws Exception {
    String s = session("alice");
    Path bobs = workspace("bob").resolve("private.txt");
    assertThat(
            ok(
                shell(
                    "alice",
                    s,
                    "ln -s /proc/self/environ env-link && ln -s '"
                        + bobs
                        + "' bob-link && ln -s /proc/self/cwd/../.. up-link")))
        .isTrue();
    String pid = Long.toString(ProcessHandle.current().pid());
    for (String link : List.of("env-link", "bob-link", "up-link/etc/passwd")) {
      String refusal = text(editor("alice", s, "view", link));
      assertThat(refusal)
          .as(link)
          .contains("leads outside the session's workspace through a symbolic link")
          .doesNotContain("/proc/" + pid)
          .doesNotContain(workspace("bob").toString())
          .doesNotContain("(to ");
    }
  }

  @Test
  void ordinaryWorkInTheWorkspaceStillWorks() throws Exception {
    String s = session("alice");
    JsonNode written =
        editor(
            "alice",
            s,
            "write",
            "tools/run.sh",
            "file_text",
            "#!/bin/sh\necho hello from $(basename \"$PWD\")\n");
    assertThat(ok(written)).as(text(written)).isTrue();
    JsonNode edited =
        editor(
            "alice", s, "str_replace", "tools/run.sh", "old_str", "hello", "new_str", "greetings");
    assertThat(ok(edited)).as(text(edited)).isTrue();
    JsonNode ran =
        shell(
            "alice",
            s,
            "sh tools/run.sh && git init -q . && git add -A && git -c user.name=a"
                + " -c user.email=a@example.com commit -qm first && git log --oneline | wc -l"
                + " && mkdir -p build && cp tools/run.sh build/ && ls build");
    assertThat(ok(ran)).as(text(ran)).isTrue();
    assertThat(text(ran)).contains("greetings from alice").contains("1\n").contains("run.sh");
    assertThat(Files.isDirectory(workspace("alice").resolve(".git"))).isTrue();
    JsonNode viewed = editor("alice", s, "view", "build");
    assertThat(text(viewed)).contains("run.sh");
  }

  @Test
  void aStdioExtensionSeesOnlyTheWorkspaceOfTheSessionThatUsesIt() throws Exception {
    var node = Json.object().put("name", "fs").put("type", "stdio").put("cmd", "node");
    node.putArray("args").add(TestServers.filesystemJs()).add("/");
    Exchange added =
        Exchange.send(
            goosed.server.uri(), "POST", "/extensions", Json.write(node), auth.get("admin"));
    assertThat(added.status()).as(added.body()).isIn(200, 201);
    try {
      Files.writeString(workspace("alice").resolve("mine.txt"), "alice's file");
      String s = session("alice");
      JsonNode mine =
          call(
              "alice",
              s,
              "fs__read_text_file",
              "path",
              workspace("alice").resolve("mine.txt").toString());
      assertThat(text(mine)).as(mine.toString()).contains("alice's file");
      for (Path p :
          List.of(workspace("bob").resolve("private.txt"), goosed.config.paths().secretsFile())) {
        JsonNode other = call("alice", s, "fs__read_text_file", "path", p.toString());
        assertThat(text(other)).doesNotContain("bob's private").doesNotContain(STORED_SECRET);
      }
      JsonNode listed = call("alice", s, "fs__list_directory", "path", workspaces.toString());
      assertThat(text(listed)).contains("alice").doesNotContain("bob");
      assertThat(goosed.server.context().extensions().workspaceServers(ids.get("alice")))
          .isEqualTo(1);

      String b = session("bob");
      JsonNode bobs =
          call(
              "bob",
              b,
              "fs__read_text_file",
              "path",
              workspace("bob").resolve("private.txt").toString());
      assertThat(text(bobs)).contains("bob's private");
      assertThat(goosed.server.context().extensions().workspaceServers(ids.get("bob")))
          .isEqualTo(1);

      Exchange deleted =
          Exchange.send(goosed.server.uri(), "DELETE", "/sessions/" + s, null, auth.get("alice"));
      assertThat(deleted.status()).isEqualTo(204);
      assertThat(goosed.server.context().extensions().workspaceServers(ids.get("alice")))
          .as("the last session that used it is gone")
          .isZero();
    } finally {
      Exchange.send(goosed.server.uri(), "DELETE", "/extensions/fs", null, auth.get("admin"));
    }
  }
}

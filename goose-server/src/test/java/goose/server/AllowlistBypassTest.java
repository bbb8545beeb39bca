package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.extension.TestServers;
import goose.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ways to get a program the operator did not allow started through {@code POST /extensions}, sent
 * to a real server with an allowlist: variables that change how the allowed program loads code,
 * secrets it was not given, whitespace that turns {@code cmd} into a command line, arguments that
 * only look like the allowed ones, and path spellings of other programs. Every one must be refused
 * with a 4xx (never stored, never started); the allowed launches pass (positive controls).
 */
@Timeout(120)
class AllowlistBypassTest {
  @TempDir Path root;
  private TestServer server;
  private Path marker;
  private String everything;

  @BeforeEach
  void start() throws Exception {
    everything = TestServers.everythingJs();
    marker = root.resolve("pwned");
    Files.writeString(
        root.resolve("evil.js"),
        "require('fs').writeFileSync("
            + Json.write(com.fasterxml.jackson.databind.node.TextNode.valueOf(marker.toString()))
            + ", 'x');\n");
    Path list = root.resolve("allowlist.yaml");
    Files.writeString(
        list,
        """
        extensions:
          - id: everything
            command: node %s stdio
            env: [PLAIN_SETTING, MY_SERVICE_TOKEN]
          - id: filesystem
            command: [node, %s, %s]
            env: [NODE_OPTIONS]
        """
            .formatted(everything, TestServers.filesystemJs(), root));
  }

  private void startWithTheAllowlist() {
    server =
        TestServer.start(
            root,
            Map.of(
                "GOOSE_ALLOWLIST",
                root.resolve("allowlist.yaml").toString(),
                "MY_SERVICE_TOKEN",
                "s3cret",
                "OTHER_TOKEN",
                "t"));
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void everyBypassIsRefusedAndTheAllowedLaunchesPass() throws Exception {
    startWithTheAllowlist();
    Map<String, ObjectNode> corpus = new LinkedHashMap<>();
    String evilRequire = "--require " + root.resolve("evil.js");
    for (String variable :
        List.of(
            "NODE_OPTIONS",
            "node_options",
            "NODE_PATH",
            "NODE_EXTRA_CA_CERTS",
            "npm_config_script_shell",
            "NPM_CONFIG_REGISTRY",
            "npm_config_node_options",
            "PYTHONPATH",
            "PYTHONSTARTUP",
            "PYTHONBREAKPOINT",
            "LD_PRELOAD",
            "LD_LIBRARY_PATH",
            "DYLD_INSERT_LIBRARIES",
            "GLIBC_TUNABLES",
            "BROWSER",
            "EDITOR",
            "PAGER",
            "LESSOPEN",
            "GIT_SSH_COMMAND",
            "BASH_ENV",
            "ENV",
            "PATH",
            "HOME",
            "XDG_CONFIG_HOME",
            "HTTPS_PROXY",
            "https_proxy",
            "SSL_CERT_FILE",
            "JAVA_TOOL_OPTIONS",
            "ELECTRON_RUN_AS_NODE",
            "PERL5OPT",
            "RUBYOPT",
            "UV_INDEX_URL",
            "PIP_INDEX_URL",
            "COREPACK_NPM_REGISTRY",
            "YARN_RC_FILENAME",
            "SOME_SETTING")) {
      ObjectNode env = stdio("node", everything, "stdio");
      env.putObject("envs").put(variable, evilRequire);
      corpus.put("envs " + variable, env);
    }
    for (String secret : List.of("NODE_OPTIONS", "OTHER_TOKEN", "LD_PRELOAD")) {
      ObjectNode keys = stdio("node", everything, "stdio");
      keys.putArray("env_keys").add(secret);
      corpus.put("env_keys " + secret, keys);
    }
    for (String badName : List.of("A-B", "1X", "X=Y", "", "BASH_FUNC_echo%%", "X\u0000")) {
      ObjectNode env = stdio("node", everything, "stdio");
      env.putObject("envs").put(badName, "x");
      corpus.put("invalid name " + badName, env);
    }
    corpus.put("cmd is the whole command line", stdio("node " + everything + " stdio"));
    corpus.put("cmd with a tab", stdio("node\t" + everything, "stdio"));
    corpus.put("cmd with a no-break space", stdio("node\u00a0" + everything, "stdio"));
    corpus.put("cmd with a newline", stdio("node\n", everything, "stdio"));
    corpus.put("trailing space", stdio("node ", everything, "stdio"));
    corpus.put("argument joined with a space", stdio("node", everything + " stdio"));
    corpus.put("extra argument", stdio("node", everything, "stdio", "--require=" + root));
    corpus.put("argument before", stdio("node", "--require", root.resolve("evil.js").toString()));
    corpus.put("shell in an argument", stdio("node", everything, "stdio;touch " + marker));
    corpus.put("relative path", stdio("./node", everything, "stdio"));
    corpus.put("relative subdir", stdio("bin/node", everything, "stdio"));
    corpus.put("dot-dot", stdio("../node", everything, "stdio"));
    corpus.put("dot-dot inside", stdio("/usr/bin/../bin/node", everything, "stdio"));
    corpus.put("dot segment", stdio("/usr/./bin/node", everything, "stdio"));
    corpus.put("double slash", stdio("//usr/bin/node", everything, "stdio"));
    corpus.put("trailing slash", stdio("/usr/bin/node/", everything, "stdio"));
    corpus.put("tilde", stdio("~/node", everything, "stdio"));
    corpus.put("dot", stdio(".", everything, "stdio"));
    corpus.put("upper case", stdio("NODE", everything, "stdio"));
    corpus.put("homoglyph", stdio("nоde", everything, "stdio")); // Cyrillic o
    Path link = Files.createDirectories(root.resolve("links")).resolve("node");
    Files.createSymbolicLink(link, Path.of("/bin/sh"));
    corpus.put("symlink to another program", stdio(link.toString(), everything, "stdio"));
    Path alias = root.resolve("links").resolve("nodejs");
    Files.createSymbolicLink(alias, Path.of(which("node")));
    corpus.put("symlink to the allowed program", stdio(alias.toString(), everything, "stdio"));
    corpus.put("its real path", stdio(which("node"), everything, "stdio"));
    ObjectNode filesystemWithoutItsEnv = stdio("node", TestServers.filesystemJs(), root.toString());
    filesystemWithoutItsEnv.putObject("envs").put("PLAIN_SETTING", "x");
    corpus.put("another entry's variable", filesystemWithoutItsEnv);

    List<String> problems = new ArrayList<>();
    int n = 0;
    for (Map.Entry<String, ObjectNode> c : corpus.entrySet()) {
      ObjectNode body = c.getValue().put("name", "bypass" + n++);
      ApiClient.Response r = server.client.post("/extensions", Json.write(body));
      String code = r.json().path("error").path("code").asText();
      boolean refused =
          (r.status() == 403 && code.equals("forbidden"))
              || (r.status() == 400 && code.equals("invalid_field"));
      if (!refused) problems.add(c.getKey() + " -> " + r.status() + " " + r.body());
    }
    assertThat(problems).as("bypasses that were not refused").isEmpty();
    JsonNode listed = server.client.get("/extensions").json().get("extensions");
    assertThat(listed.toString()).doesNotContain("bypass");

    ObjectNode allowed = stdio("node", everything, "stdio").put("name", "allowed");
    allowed.putObject("envs").put("PLAIN_SETTING", "visible");
    allowed.putArray("env_keys").add("MY_SERVICE_TOKEN");
    assertThat(server.client.post("/extensions", Json.write(allowed)).status())
        .as("positive control: the exact command with the variables its entry names")
        .isEqualTo(200);
    assertThat(server.client.get("/extensions/allowed/tools").json().get("tools"))
        .as("it really starts")
        .isNotEmpty();
    ObjectNode namedLoader =
        stdio("node", TestServers.filesystemJs(), root.toString()).put("name", "named");
    namedLoader.putObject("envs").put("NODE_OPTIONS", "--max-old-space-size=256");
    assertThat(server.client.post("/extensions", Json.write(namedLoader)).status())
        .as("an entry that names a loader variable permits it")
        .isEqualTo(200);
    assertThat(marker).doesNotExist();
  }

  @Test
  void withoutAnAllowlistLoaderVariablesAndCommandLinesAreStillRefused() throws Exception {
    server = TestServer.start(root, Map.of());
    for (String variable :
        List.of("NODE_OPTIONS", "npm_config_registry", "PYTHONPATH", "BROWSER")) {
      ObjectNode body = stdio("node", everything, "stdio").put("name", "x");
      body.putObject("envs").put(variable, "x");
      assertThat(server.client.post("/extensions", Json.write(body)).error(400, "invalid_field"))
          .as(variable)
          .contains(variable)
          .contains("GOOSE_ALLOWLIST");
    }
    assertThat(
            server
                .client
                .post("/extensions", Json.write(stdio("sh -c id").put("name", "x")))
                .error(400, "invalid_field"))
        .contains("'cmd'")
        .contains("whitespace");
    ObjectNode plain = stdio("node", everything, "stdio").put("name", "plain");
    plain.putObject("envs").put("PYTHONUNBUFFERED", "1");
    assertThat(server.client.post("/extensions", Json.write(plain)).status())
        .as("an ordinary variable needs no allowlist")
        .isEqualTo(200);
  }

  private static ObjectNode stdio(String cmd, String... args) {
    ObjectNode n = Json.object().put("type", "stdio").put("cmd", cmd).put("enabled", true);
    for (String a : args) n.withArray("args").add(a);
    return n;
  }

  private static String which(String program) throws Exception {
    for (String dir : System.getenv("PATH").split(":", -1)) {
      Path p = Path.of(dir, program);
      if (dir.startsWith("/") && Files.isExecutable(p)) return p.toRealPath().toString();
    }
    throw new AssertionError(program + " is not on PATH");
  }
}

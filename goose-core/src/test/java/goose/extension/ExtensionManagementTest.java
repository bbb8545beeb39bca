package goose.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.config.Config;
import goose.conversation.Content;
import goose.json.Json;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Adding, changing, enabling, disabling and deleting extensions while the server runs. */
@Timeout(60)
@ResourceLock(value = TestServers.EVERYTHING_PROCESSES, mode = ResourceAccessMode.READ)
class ExtensionManagementTest {
  @TempDir Path home;
  @TempDir Path files;
  Config config;
  ExtensionManager manager;

  @BeforeEach
  void start() {
    config = TestServers.config(home);
    manager =
        new ExtensionManager(
            config, List.of(new EchoBuiltin()), Allowlist.none(), Duration.ofMillis(100));
  }

  @AfterEach
  void stop() {
    manager.close();
  }

  private List<String> toolNames() {
    return manager.tools(TestServers.context(home)).stream().map(ToolSpec::name).toList();
  }

  @Test
  void addDisableEnableDeleteTakeEffectForTheNextTurnAndPersist() throws Exception {
    assertThat(toolNames()).containsExactly("builtin-echo__say");
    manager.addOrUpdate(TestServers.stdio("fs", TestServers.filesystemJs(), files.toString()));
    assertThat(toolNames()).contains("fs__read_text_file", "fs__write_file", "builtin-echo__say");

    String yaml = Files.readString(config.paths().configFile());
    assertThat(yaml).contains("fs:").contains("type: stdio").contains("cmd: node");

    manager.disable("fs");
    assertThat(toolNames()).noneMatch(n -> n.startsWith("fs__"));
    assertThat(manager.get("fs").enabled()).isFalse();
    assertThat(config.node("extensions").orElseThrow().at("/fs/enabled").asBoolean()).isFalse();

    manager.enable("fs");
    assertThat(toolNames()).contains("fs__list_directory");

    manager.delete("fs");
    assertThat(toolNames()).containsExactly("builtin-echo__say");
    assertThat(config.node("extensions").orElseThrow().has("fs")).isFalse();
    assertThatThrownBy(() -> manager.get("fs")).isInstanceOf(ExtensionException.NotFound.class);
  }

  @Test
  void aNewManagerReadsWhatTheLastOneWrote() {
    manager.addOrUpdate(TestServers.stdio("fs", TestServers.filesystemJs(), files.toString()));
    manager.disable("builtin-echo");
    manager.close();
    try (ExtensionManager again =
        new ExtensionManager(
            TestServers.config(home),
            List.of(new EchoBuiltin()),
            Allowlist.none(),
            Duration.ofMillis(100))) {
      assertThat(again.list())
          .extracting(ExtensionInfo::name)
          .containsExactly("builtin-echo", "fs");
      assertThat(again.get("builtin-echo").enabled()).isFalse();
      ExtensionInfo fs = again.get("fs");
      assertThat(fs.type()).isEqualTo("stdio");
      assertThat(fs.config().launch()).isInstanceOf(ExtensionConfig.Launch.Stdio.class);
    }
  }

  @Test
  void filesystemServerToolsWork() throws Exception {
    Files.writeString(files.resolve("hello.txt"), "hello from a file\n");
    manager.addOrUpdate(TestServers.stdio("fs", TestServers.filesystemJs(), files.toString()));
    ToolContext ctx = TestServers.context(files);
    Content.ToolResponse read =
        manager.call(
            ctx,
            TestServers.request(
                "fs__read_text_file",
                Json.write(Map.of("path", files.resolve("hello.txt").toString()))));
    assertThat(read.isError()).isFalse();
    assertThat(read.text()).contains("hello from a file");
    Content.ToolResponse write =
        manager.call(
            ctx,
            TestServers.request(
                "fs__write_file",
                Json.write(
                    Map.of("path", files.resolve("new.txt").toString(), "content", "written"))));
    assertThat(write.isError()).as(write.text()).isFalse();
    assertThat(Files.readString(files.resolve("new.txt"))).isEqualTo("written");
    Content.ToolResponse outside =
        manager.call(ctx, TestServers.request("fs__read_text_file", "{\"path\":\"/etc/passwd\"}"));
    assertThat(outside.isError()).isTrue();
  }

  @Test
  void availableToolsFiltersWhatTheModelSeesAndWhatCanBeCalled() {
    ObjectNode node = TestServers.stdio("fs", TestServers.filesystemJs(), files.toString());
    node.putArray("available_tools").add("list_directory");
    manager.addOrUpdate(node);
    assertThat(manager.tools("fs"))
        .extracting(ToolSpec::name)
        .containsExactly("fs__list_directory");
    assertThat(manager.get("fs").toolCount()).isEqualTo(1);
    Content.ToolResponse r =
        manager.call(
            TestServers.context(home),
            TestServers.request("fs__read_text_file", "{\"path\":\"x\"}"));
    assertThat(r.isError()).isTrue();
    assertThat(r.text()).contains("offers no tool");
  }

  @Test
  void updatingAnExtensionRestartsItWithTheNewConfig() {
    manager.addOrUpdate(TestServers.stdio("fs", TestServers.filesystemJs(), files.toString()));
    manager.tools("fs");
    long before = manager.pid("fs").orElseThrow();
    ObjectNode node = TestServers.stdio("fs", TestServers.filesystemJs(), files.toString());
    node.putArray("available_tools").add("list_directory");
    manager.addOrUpdate(node);
    assertThat(manager.tools("fs")).hasSize(1);
    assertThat(manager.pid("fs").orElseThrow()).isNotEqualTo(before);
  }

  @Test
  void validationNamesTheBadField() {
    assertThatThrownBy(
            () -> manager.addOrUpdate(Json.object().put("type", "stdio").put("cmd", "x")))
        .isInstanceOf(ExtensionException.Invalid.class)
        .extracting(e -> ((ExtensionException.Invalid) e).field())
        .isEqualTo("name");
    assertInvalid(Json.object().put("name", "a b").put("type", "stdio").put("cmd", "x"), "name");
    assertInvalid(Json.object().put("name", "a__b").put("type", "stdio").put("cmd", "x"), "name");
    assertInvalid(Json.object().put("name", "x").put("type", "carrier_pigeon"), "type");
    assertInvalid(Json.object().put("name", "x").put("type", "stdio"), "cmd");
    assertInvalid(
        Json.object()
            .put("name", "x")
            .put("type", "stdio")
            .put("cmd", "x")
            .put("args", "not-a-list"),
        "args");
    assertInvalid(
        Json.object().put("name", "x").put("type", "stdio").put("cmd", "x").put("timeout", -1),
        "timeout");
    assertInvalid(
        Json.object().put("name", "x").put("type", "stdio").put("cmd", "x").put("enabled", "yes"),
        "enabled");
    assertInvalid(Json.object().put("name", "x").put("type", "streamable_http"), "uri");
    assertInvalid(
        Json.object().put("name", "x").put("type", "streamable_http").put("uri", "ftp://h/x"),
        "uri");
    assertInvalid(Json.object().put("name", "x").put("type", "builtin"), "name");
    ObjectNode host =
        Json.object()
            .put("name", "x")
            .put("type", "streamable_http")
            .put("uri", "http://127.0.0.1:1/mcp");
    host.putObject("headers").put("Host", "evil");
    assertInvalid(host, "headers.Host");
    assertThat(config.node("extensions")).isEmpty();
  }

  @Test
  void environmentNamesThatCanHijackAProcessAreRefused() {
    for (String name :
        List.of(
            "PATH",
            "LD_PRELOAD",
            "LD_LIBRARY_PATH",
            "DYLD_INSERT_LIBRARIES",
            "NODE_OPTIONS",
            "PYTHONPATH",
            "PYTHONHOME",
            "PERL5LIB",
            "RUBYOPT",
            "JAVA_TOOL_OPTIONS",
            "BASH_ENV",
            "path")) {
      ObjectNode node = Json.object().put("name", "x").put("type", "stdio").put("cmd", "node");
      node.putObject("envs").put(name, "/tmp/evil");
      assertThatThrownBy(() -> manager.addOrUpdate(node))
          .as(name)
          .isInstanceOf(ExtensionException.Invalid.class)
          .hasMessageContaining("envs." + name)
          .hasMessageContaining("not allowed");
    }
    ObjectNode keys = Json.object().put("name", "x").put("type", "stdio").put("cmd", "node");
    keys.putArray("env_keys").add("LD_PRELOAD");
    assertThatThrownBy(() -> manager.addOrUpdate(keys))
        .isInstanceOf(ExtensionException.Invalid.class)
        .hasMessageContaining("env_keys");
  }

  @Test
  void theServersOwnSecretsAreNotInherited() {
    Map<String, String> env =
        goose.sandbox.ChildEnvironment.withoutSecrets(
            Map.of(
                "HOME",
                "/home/u",
                "ANTHROPIC_API_KEY",
                "sk-1",
                "GITHUB_TOKEN",
                "t",
                "DB_PASSWORD",
                "p",
                "GOOSE_SERVER__SECRET_KEY",
                "k"),
            config);
    assertThat(env).containsOnlyKeys("HOME");
  }

  @Test
  void envsAndSecretEnvKeysReachTheServer() {
    config.setSecret("MY_SERVICE_TOKEN", "s3cret-value");
    ObjectNode node = TestServers.stdio("ev", TestServers.everythingJs(), "stdio");
    node.putObject("envs").put("PLAIN_SETTING", "visible");
    node.putArray("env_keys").add("MY_SERVICE_TOKEN");
    manager.addOrUpdate(node);
    Content.ToolResponse env =
        manager.call(TestServers.context(home), TestServers.request("ev__get-env", "{}"));
    assertThat(env.text()).contains("PLAIN_SETTING").contains("visible").contains("s3cret-value");
  }

  @Test
  void aMissingSecretFailsTheStartWithItsName() {
    ObjectNode node = TestServers.stdio("ev", TestServers.everythingJs(), "stdio");
    node.putArray("env_keys").add("NOT_SET_ANYWHERE_KEY");
    manager.addOrUpdate(node);
    assertThat(manager.tools("ev")).isEmpty();
    assertThat(manager.get("ev").lastError()).get().asString().contains("NOT_SET_ANYWHERE_KEY");
  }

  @Test
  void thePublicViewMasksHeaderValues() {
    ObjectNode node =
        Json.object()
            .put("name", "r")
            .put("type", "streamable_http")
            .put("uri", "http://127.0.0.1:1/mcp")
            .put("enabled", false);
    node.putObject("headers").put("Authorization", "Bearer very-secret-token-123");
    ExtensionInfo info = manager.addOrUpdate(node);
    assertThat(ExtensionConfigs.toPublicNode(info.config()).at("/headers/Authorization").asText())
        .doesNotContain("very-secret-token");
    assertThat(ExtensionConfigs.toNode(info.config()).at("/headers/Authorization").asText())
        .isEqualTo("Bearer very-secret-token-123");
  }

  @Test
  void unknownNamesAreNotFound() {
    assertThatThrownBy(() -> manager.enable("nope"))
        .isInstanceOf(ExtensionException.NotFound.class);
    assertThatThrownBy(() -> manager.disable("nope"))
        .isInstanceOf(ExtensionException.NotFound.class);
    assertThatThrownBy(() -> manager.delete("nope"))
        .isInstanceOf(ExtensionException.NotFound.class);
    assertThatThrownBy(() -> manager.tools("nope")).isInstanceOf(ExtensionException.NotFound.class);
  }

  @Test
  void builtinsCanBeDisabledButNotDeletedNorReplaced() {
    assertThatThrownBy(() -> manager.delete("builtin-echo"))
        .isInstanceOf(ExtensionException.Invalid.class);
    // A stdio extension of the built-in's name would take its slot, which could then be deleted.
    assertThatThrownBy(
            () ->
                manager.addOrUpdate(
                    TestServers.stdio("builtin-echo", TestServers.filesystemJs(), home.toString())))
        .isInstanceOf(ExtensionException.Invalid.class)
        .hasMessageContaining("is a built-in extension");
    assertThat(manager.get("builtin-echo").type()).isEqualTo("builtin");
    manager.disable("builtin-echo");
    assertThat(toolNames()).isEmpty();
    Content.ToolResponse r =
        manager.call(TestServers.context(home), TestServers.request("builtin-echo__say", "{}"));
    assertThat(r.isError()).isTrue();
    assertThat(r.text()).contains("disabled");
  }

  @Test
  void listShowsTypeStatusAndToolCount() {
    manager.addOrUpdate(TestServers.stdio("fs", TestServers.filesystemJs(), files.toString()));
    manager.tools("fs");
    ExtensionInfo fs = manager.get("fs");
    assertThat(fs.status()).isEqualTo(ExtensionStatus.RUNNING);
    assertThat(fs.toolCount()).isGreaterThan(5);
    assertThat(fs.lastError()).isEmpty();
    manager.disable("fs");
    assertThat(manager.get("fs").status()).isEqualTo(ExtensionStatus.STOPPED);
    ExtensionInfo echo = manager.get("builtin-echo");
    assertThat(echo.type()).isEqualTo("builtin");
    assertThat(echo.toolCount()).isEqualTo(1);
  }

  private void assertInvalid(JsonNode body, String field) {
    assertThatThrownBy(() -> manager.addOrUpdate(body))
        .as(body.toString())
        .isInstanceOf(ExtensionException.Invalid.class)
        .satisfies(e -> assertThat(((ExtensionException.Invalid) e).field()).isEqualTo(field));
  }

  /** A minimal in-process extension. */
  static final class EchoBuiltin implements BuiltinExtension {
    @Override
    public String name() {
      return "builtin-echo";
    }

    @Override
    public String description() {
      return "says things";
    }

    @Override
    public boolean enabledByDefault() {
      return true;
    }

    @Override
    public List<ToolSpec> tools() {
      return List.of(new ToolSpec("say", "say it", Json.object().put("type", "object"), true));
    }

    @Override
    public Content.ToolResponse call(ToolContext context, Content.ToolRequest request) {
      return new Content.ToolResponse(request.id(), List.of(new Content.Text("said")), false);
    }
  }
}

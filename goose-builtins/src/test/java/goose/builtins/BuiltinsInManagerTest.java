package goose.builtins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.config.Config;
import goose.conversation.Content;
import goose.extension.ExtensionInfo;
import goose.extension.ExtensionManager;
import goose.extension.ExtensionStatus;
import goose.json.Json;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.tool.ActiveExtension;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-ins as the server runs them: in-process, through the ExtensionManager, with goose's
 * defaults.
 */
class BuiltinsInManagerTest {
  @TempDir Path home;
  @TempDir Path work;

  @Test
  void developerAndTodoAreOnByDefaultAndMemoryIsOff() {
    Config config = Config.load(Map.of("GOOSE_PATH_ROOT", home.toString()), home);
    try (SessionStore store = SessionStores.open(config);
        ExtensionManager manager =
            new ExtensionManager(config, BuiltinServers.all(config, store))) {
      assertThat(manager.list())
          .extracting(ExtensionInfo::name, ExtensionInfo::enabled, ExtensionInfo::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("developer", true, ExtensionStatus.RUNNING),
              org.assertj.core.groups.Tuple.tuple("memory", false, ExtensionStatus.STOPPED),
              org.assertj.core.groups.Tuple.tuple("todo", true, ExtensionStatus.RUNNING));
      ToolContext ctx = new ToolContext("alice", "s1", work);
      assertThat(manager.tools(ctx))
          .extracting(ToolSpec::name)
          .containsExactly(
              "developer__shell", "developer__text_editor", "todo__todo_write", "todo__todo_read");
      // Each built-in gives the model its own instructions, for the system prompt.
      assertThat(manager.extensions(ctx))
          .extracting(ActiveExtension::name)
          .containsExactly("developer", "todo");
      assertThat(manager.extensions(ctx).get(0).instructions())
          .contains("shell", "text_editor", "2000 lines");
      assertThat(manager.extensions(ctx).get(1).instructions()).contains("todo_write");

      Content.ToolResponse pwd =
          manager.call(
              ctx,
              new Content.ToolRequest(
                  "1", "developer__shell", (ObjectNode) Json.parse("{\"command\":\"pwd\"}")));
      assertThat(pwd.text().strip()).isEqualTo(work.toString());

      manager.enable("memory");
      assertThat(manager.tools(ctx))
          .extracting(ToolSpec::name)
          .contains("memory__remember_memory", "memory__retrieve_memories");
      manager.call(
          ctx,
          new Content.ToolRequest(
              "2",
              "memory__remember_memory",
              (ObjectNode)
                  Json.parse("{\"category\":\"c\",\"data\":\"fact\",\"is_global\":true}")));
      assertThat(SessionStores.memories(store).read("alice", "global", "c"))
          .hasValueSatisfying(text -> assertThat(text).contains("fact"));
      assertThat(config.node("extensions").orElseThrow().at("/memory/enabled").asBoolean())
          .isTrue();
      assertThat(config.node("extensions").orElseThrow().at("/memory/type").asText())
          .isEqualTo("builtin");
    }
  }

  @Test
  void gooseStylePlatformEntriesInConfigMapToTheBuiltins() {
    Config config = Config.load(Map.of("GOOSE_PATH_ROOT", home.toString()), home);
    ObjectNode extensions = Json.object();
    extensions
        .putObject("todo")
        .put("type", "platform")
        .put("name", "todo")
        .put("enabled", false)
        .put("bundled", true);
    extensions
        .putObject("developer")
        .put("type", "builtin")
        .put("name", "developer")
        .put("enabled", true)
        .put("timeout", 300)
        .put("display_name", "Developer");
    config.setNode("extensions", extensions);
    try (SessionStore store = SessionStores.open(config);
        ExtensionManager manager =
            new ExtensionManager(config, BuiltinServers.all(config, store))) {
      assertThat(manager.get("todo").enabled()).isFalse();
      assertThat(manager.tools(new ToolContext("a", "s", work)))
          .extracting(ToolSpec::name)
          .containsExactly("developer__shell", "developer__text_editor");
    }
  }
}

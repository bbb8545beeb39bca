package goose.builtins;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.extension.BuiltinExtension;
import goose.json.Json;
import goose.tool.ToolContext;
import java.nio.file.Path;

/** Calls a built-in's tool the way the ExtensionManager does. */
final class Calls {
  private Calls() {}

  /** A sandbox that is off, with the default limits and no configuration files. */
  static goose.sandbox.Sandbox unconfined() {
    Path nowhere = Path.of("/nonexistent/goose-test");
    return goose.sandbox.Sandbox.unconfined(
        goose.config.Config.load(java.util.Map.of("GOOSE_PATH_ROOT", nowhere.toString()), nowhere));
  }

  static ToolContext context(String user, String session, Path workingDir) {
    return new ToolContext(user, session, workingDir);
  }

  static Content.ToolResponse call(
      BuiltinExtension b, ToolContext ctx, String tool, String argsJson) {
    return b.call(ctx, new Content.ToolRequest("t1", tool, (ObjectNode) Json.parse(argsJson)));
  }

  static String json(Object... keyValues) {
    ObjectNode n = Json.object();
    for (int i = 0; i < keyValues.length; i += 2)
      n.set((String) keyValues[i], Json.MAPPER.valueToTree(keyValues[i + 1]));
    return n.toString();
  }
}

package goose.extension;

import goose.conversation.Content;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import java.util.List;

/**
 * An extension that runs inside the server process (developer, memory, todo). goose-builtins
 * implements it; the {@link ExtensionManager} takes the instances in its constructor, so the core
 * never depends on the built-ins. The same instances are served over stdio MCP by {@code goose mcp
 * NAME}.
 */
public interface BuiltinExtension {

  /** The extension's name, also the prefix of its tools ({@code developer__shell}). */
  String name();

  String description();

  /**
   * What the model should know to use the tools well, put in the system prompt under the
   * extension's name (an MCP server's {@code instructions}); empty for none.
   */
  default String instructions() {
    return "";
  }

  /** Whether it is on when config.yaml does not mention it (as in goose). */
  boolean enabledByDefault();

  /** Its tools, with their own (unprefixed) names. */
  List<ToolSpec> tools();

  /**
   * Runs one tool; {@code request.name()} is the tool's own name. Returns an error response for bad
   * arguments or failures; must not throw for them.
   */
  Content.ToolResponse call(ToolContext context, Content.ToolRequest request);
}

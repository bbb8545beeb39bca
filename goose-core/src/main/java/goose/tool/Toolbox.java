package goose.tool;

import goose.conversation.Content;
import java.util.List;

/**
 * The tools the agent may offer the model, and the way to call them. Implemented by the extension
 * manager (MCP servers and built-ins); tests give the loop their own.
 */
public interface Toolbox {
  Toolbox NONE =
      new Toolbox() {
        @Override
        public List<ToolSpec> tools(ToolContext context) {
          return List.of();
        }

        @Override
        public Content.ToolResponse call(ToolContext context, Content.ToolRequest request) {
          return Content.ToolResponse.error(request.id(), "no tool named " + request.name());
        }
      };

  /** The tools available for this user and session right now (enabled extensions, filtered). */
  List<ToolSpec> tools(ToolContext context);

  /**
   * The extensions whose tools {@link #tools} offers, by name, with their instructions for the
   * model. Call after {@link #tools}, which starts them.
   */
  default List<ActiveExtension> extensions(ToolContext context) {
    return List.of();
  }

  /**
   * Runs one tool call, blocking; never throws for a tool's own failure: an unknown tool, a crash,
   * a timeout all come back as a response with {@code isError}. Interrupting the calling thread
   * cancels.
   */
  Content.ToolResponse call(ToolContext context, Content.ToolRequest request);
}

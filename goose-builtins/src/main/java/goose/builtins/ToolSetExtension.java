package goose.builtins;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.error.ErrorMessages;
import goose.extension.BuiltinExtension;
import goose.json.Json;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A built-in made of named tools, each a handler returning text. Turns bad input ({@link
 * ToolInputException}) and I/O failures into error responses, so a built-in never throws at the
 * agent.
 */
public abstract class ToolSetExtension implements BuiltinExtension {
  private static final Logger log = LoggerFactory.getLogger(ToolSetExtension.class);

  /** One tool's work: the text the model gets back. */
  @FunctionalInterface
  protected interface Handler {
    String run(ToolContext context, Args args)
        throws ToolInputException, IOException, InterruptedException;
  }

  private final Map<String, ToolSpec> specs = new LinkedHashMap<>();
  private final Map<String, Handler> handlers = new LinkedHashMap<>();

  /** Registers a tool; {@code schemaJson} is its JSON Schema. */
  protected final void tool(
      String name, String description, boolean readOnly, String schemaJson, Handler handler) {
    specs.put(name, new ToolSpec(name, description, (ObjectNode) Json.parse(schemaJson), readOnly));
    handlers.put(name, handler);
  }

  @Override
  public List<ToolSpec> tools() {
    return List.copyOf(specs.values());
  }

  @Override
  public Content.ToolResponse call(ToolContext context, Content.ToolRequest request) {
    Handler handler = handlers.get(request.name());
    if (handler == null)
      return Content.ToolResponse.error(
          request.id(), name() + " has no tool '" + request.name() + "'");
    try {
      String text = handler.run(context, new Args(request.arguments()));
      return new Content.ToolResponse(request.id(), List.of(new Content.Text(text)), false);
    } catch (ToolFailure f) {
      return new Content.ToolResponse(
          request.id(), List.of(new Content.Text(ErrorMessages.of(f))), true);
    } catch (ToolInputException e) {
      return Content.ToolResponse.error(request.id(), ErrorMessages.of(e));
    } catch (IOException e) {
      return Content.ToolResponse.error(
          request.id(), request.name() + " failed: " + ErrorMessages.of(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Content.ToolResponse.error(request.id(), request.name() + " was cancelled");
    } catch (RuntimeException e) {
      log.warn("{}__{} failed", name(), request.name(), e);
      return Content.ToolResponse.error(request.id(), request.name() + " failed: " + e);
    }
  }

  /** A finished run whose result is an error but still carries output (a failed shell command). */
  public static final class ToolFailure extends RuntimeException {
    public ToolFailure(String output) {
      super(output, null, false, false);
    }
  }
}

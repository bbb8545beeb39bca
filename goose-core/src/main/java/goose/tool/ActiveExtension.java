package goose.tool;

import java.util.Objects;

/**
 * An extension whose tools are on offer, as the system prompt names it: its name and the
 * instructions it gives the model (an MCP server's {@code instructions} from {@code initialize}, a
 * built-in's own), empty when it gives none.
 */
public record ActiveExtension(String name, String instructions) {
  public ActiveExtension {
    Objects.requireNonNull(name, "name");
    instructions = instructions == null ? "" : instructions.strip();
  }
}

package goose.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A tool as the model sees it. {@code inputSchema} is the tool's JSON Schema, kept verbatim (MCP
 * tools carry arbitrary JSON Schema; a lossy schema model would be a bug). {@code readOnly} is the
 * MCP {@code readOnlyHint}, used by smart approval.
 */
public record ToolSpec(String name, String description, ObjectNode inputSchema, boolean readOnly) {
  public ToolSpec {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    Objects.requireNonNull(inputSchema, "input_schema");
  }
}

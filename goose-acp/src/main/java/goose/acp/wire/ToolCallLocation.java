package goose.acp.wire;

import java.util.Optional;

/** A file (and line) a tool call works on, so an editor can follow along. */
public record ToolCallLocation(String path, Optional<Integer> line) {}

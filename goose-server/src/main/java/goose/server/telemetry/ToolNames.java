package goose.server.telemetry;

/** Tools are named {@code extension__tool}; metrics and spans group them by extension. */
final class ToolNames {
  private ToolNames() {}

  static String extension(String tool) {
    int sep = tool.indexOf("__");
    return sep > 0 ? tool.substring(0, sep) : "unknown";
  }
}

package goose.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a running tool's progress and log messages go (MCP progress and logging notifications); the
 * agent forwards them to the turn's stream as {@code notification} events.
 */
@FunctionalInterface
public interface ToolNotifications {
  ToolNotifications IGNORE = (source, kind, payload) -> {};

  /**
   * Forwards one notification.
   *
   * @param source the extension the notification came from
   * @param kind "progress", "log" or another MCP notification kind
   * @param payload the notification's parameters as sent by the server
   */
  void notify(String source, String kind, JsonNode payload);
}

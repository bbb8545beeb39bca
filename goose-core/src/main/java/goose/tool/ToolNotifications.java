package goose.tool;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.Content;

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

  /**
   * A call's response as soon as the extension's transport has it, on the thread that received it
   * (an MCP transport's reader), before {@link Toolbox#call} returns the same response to its
   * caller: the agent reports the result from there without waiting for the caller's thread to
   * wake. Not called for every call (built-ins, failed and cancelled calls only return). A call
   * interrupted just as its answer arrives may return while this runs: a receiver takes whichever
   * of the two it gets first.
   *
   * @param response the response, with the id of the request it answers
   */
  default void answered(Content.ToolResponse response) {}
}

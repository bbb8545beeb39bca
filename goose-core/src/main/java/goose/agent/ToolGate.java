package goose.agent;

import goose.conversation.Content;
import java.util.Optional;

/**
 * Decides whether a tool call may run. Empty means go ahead; a response means the call is answered
 * without running (denied). Tool approval modes plug in here.
 */
@FunctionalInterface
public interface ToolGate {
  ToolGate ALLOW_ALL = request -> Optional.empty();

  Optional<Content.ToolResponse> check(Content.ToolRequest request);
}

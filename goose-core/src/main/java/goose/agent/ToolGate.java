package goose.agent;

import goose.approval.ToolDecision;
import goose.conversation.Content;
import goose.tool.ToolSpec;
import java.util.List;
import java.util.Optional;

/**
 * The tool policy of one turn: which tools the model is offered, and whether each call may run. The
 * agent asks the gate once per call, on the call's own thread; a gate may block there while it asks
 * the user. A decision that does not run the call becomes the error result the model sees.
 */
public interface ToolGate {
  ToolGate ALLOW_ALL = (request, spec) -> ToolDecision.AUTO;

  /**
   * The tools to offer the model from those available (all of them unless the policy hides some).
   */
  default List<ToolSpec> offer(List<ToolSpec> tools) {
    return tools;
  }

  /**
   * Decides one call; {@code spec} is the offered tool of that name, empty when the model named a
   * tool it was not offered. May block; throws {@link TurnSuspendedException} when the server stops
   * meanwhile.
   */
  ToolDecision check(Content.ToolRequest request, Optional<ToolSpec> spec);

  /**
   * Decides a call of a turn resumed after a restart, whose approval was asked before the stop: the
   * stored approval's decision, waiting for it while it is open. Without a stored approval the call
   * is never run: {@link ToolDecision#CANCELLED}.
   */
  default ToolDecision resume(Content.ToolRequest request) {
    return ToolDecision.CANCELLED;
  }
}

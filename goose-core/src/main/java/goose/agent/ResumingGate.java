package goose.agent;

import goose.approval.ToolDecision;
import goose.conversation.Content;
import goose.tool.ToolSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gate of a resumed turn: only the calls that were waiting for an approval at the stop are
 * decided by their stored approval; any other dangling call may have run halfway and is never run
 * again.
 */
record ResumingGate(ToolGate gate, Set<String> awaitedCallIds) implements ToolGate {
  @Override
  public List<ToolSpec> offer(List<ToolSpec> tools) {
    return gate.offer(tools);
  }

  @Override
  public ToolDecision check(Content.ToolRequest request, Optional<ToolSpec> spec) {
    return gate.check(request, spec);
  }

  @Override
  public ToolDecision resume(Content.ToolRequest request) {
    return awaitedCallIds.contains(request.id()) ? gate.resume(request) : ToolDecision.CANCELLED;
  }
}

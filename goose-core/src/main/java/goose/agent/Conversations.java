package goose.agent;

import goose.conversation.Content;
import goose.conversation.Message;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Questions about a stored conversation that more than one part of the loop asks. */
final class Conversations {
  private Conversations() {}

  /**
   * The tool requests that have no response yet, in conversation order (left by a stop mid-batch).
   */
  static List<Content.ToolRequest> danglingToolRequests(List<Message> conversation) {
    Set<String> answered = new HashSet<>();
    for (Message m : conversation) {
      for (Content c : m.content()) if (c instanceof Content.ToolResponse r) answered.add(r.id());
    }
    return conversation.stream()
        .flatMap(m -> m.toolRequests().stream())
        .filter(r -> !answered.contains(r.id()))
        .toList();
  }
}

package goose.agent;

import goose.conversation.Content;
import goose.conversation.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes the id of every tool call unique in its session. Models choose call ids, and some reuse
 * them ({@code call_0} in every reply, or twice in one reply, or none at all); an approval, a
 * result and a resumed turn are matched to their call by id, so two calls under one id could have
 * one call's answer applied to the other. A call whose id was already used in the session (or is
 * blank) is renamed {@code <id>_2}, {@code <id>_3}, ... before it is stored or shown; the renamed
 * id is what the model sees back with the result, so every provider's pairing of calls and results
 * holds.
 */
final class CallIds {
  private final Set<String> used = new HashSet<>();

  /** Knows the ids already used in {@code conversation} (the session's whole stored history). */
  CallIds(List<Message> conversation) {
    for (Message m : conversation) m.toolRequests().forEach(r -> used.add(r.id()));
  }

  /** {@code reply} with its duplicate or blank call ids renamed; the same message when none is. */
  Message unique(Message reply) {
    if (reply.toolRequests().isEmpty()) return reply;
    List<Content> parts = new ArrayList<>();
    boolean renamed = false;
    for (Content c : reply.content()) {
      if (c instanceof Content.ToolRequest r) {
        String id = fresh(r.id());
        renamed |= !id.equals(r.id());
        parts.add(id.equals(r.id()) ? r : new Content.ToolRequest(id, r.name(), r.arguments()));
      } else {
        parts.add(c);
      }
    }
    if (!renamed) return reply;
    return new Message(
        reply.id(),
        reply.role(),
        reply.createdAt(),
        parts,
        reply.userVisible(),
        reply.agentVisible(),
        reply.interrupted(),
        reply.usage());
  }

  private String fresh(String id) {
    String base = id.isBlank() ? "call" : id;
    String candidate = id.isBlank() ? base + "_1" : base;
    for (int n = 2; used.contains(candidate); n++) candidate = base + "_" + n;
    used.add(candidate);
    return candidate;
  }
}

package goose.acp.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import goose.acp.wire.AcpJson;
import goose.acp.wire.ContentBlock;
import goose.acp.wire.SessionUpdate;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code session/load} sends before it answers: the stored conversation the user saw (hidden
 * messages of a compaction left out), one update per part, in order: the user's messages, the
 * agent's text and thoughts whole (not re-chunked), each tool call with its result. The tool calls
 * look as they did live: the same {@link UpdateProjection} builds them.
 */
final class ConversationReplay {
  private ConversationReplay() {}

  static List<SessionUpdate> of(List<Message> conversation) {
    UpdateProjection projection = new UpdateProjection();
    Map<String, String> toolOfCall = new java.util.HashMap<>();
    List<SessionUpdate> out = new ArrayList<>();
    for (Message m : conversation) {
      if (!m.userVisible()) continue;
      Optional<String> id = Optional.of(m.id());
      for (Content part : m.content()) {
        switch (part) {
          case Content.Text t -> {
            if (t.text().isEmpty()) continue;
            ContentBlock text = new ContentBlock.Text(t.text());
            out.add(
                m.role() == Role.USER
                    ? new SessionUpdate.UserMessageChunk(text, id)
                    : new SessionUpdate.AgentMessageChunk(text, id));
          }
          case Content.Image i -> {
            ContentBlock image = new ContentBlock.Image(i.data(), i.mimeType());
            out.add(
                m.role() == Role.USER
                    ? new SessionUpdate.UserMessageChunk(image, id)
                    : new SessionUpdate.AgentMessageChunk(image, id));
          }
          case Content.Thinking t -> {
            if (!t.text().isEmpty())
              out.add(new SessionUpdate.AgentThoughtChunk(new ContentBlock.Text(t.text()), id));
          }
          case Content.RedactedThinking r -> {}
          case Content.ToolRequest r -> {
            toolOfCall.put(r.id(), r.name());
            out.add(projection.started(r.id(), r.name(), r.arguments()));
          }
          case Content.ToolResponse r ->
              out.addAll(
                  projection.finished(
                      r.id(),
                      toolOfCall.getOrDefault(r.id(), ""),
                      !r.isError(),
                      parts(r.content())));
        }
      }
    }
    return out;
  }

  /** A tool response's parts in the shape of a stored tool_result event's {@code result}. */
  private static ArrayNode parts(List<Content> content) {
    ArrayNode out = AcpJson.MAPPER.createArrayNode();
    for (Content c : content) {
      if (c instanceof Content.Text t) out.addObject().put("type", "text").put("text", t.text());
      else if (c instanceof Content.Image i)
        out.addObject().put("type", "image").put("data", i.data()).put("mime_type", i.mimeType());
    }
    return out;
  }
}

package goose.acp.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The {@code update} of a {@code session/update} notification: what a client sees of a session, one
 * piece at a time. Live ones are a projection of the session's stored turn events; {@code
 * session/load} replays the stored conversation as the same kinds.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "sessionUpdate")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SessionUpdate.UserMessageChunk.class, name = "user_message_chunk"),
  @JsonSubTypes.Type(value = SessionUpdate.AgentMessageChunk.class, name = "agent_message_chunk"),
  @JsonSubTypes.Type(value = SessionUpdate.AgentThoughtChunk.class, name = "agent_thought_chunk"),
  @JsonSubTypes.Type(value = SessionUpdate.ToolCall.class, name = "tool_call"),
  @JsonSubTypes.Type(value = SessionUpdate.ToolCallUpdate.class, name = "tool_call_update"),
  @JsonSubTypes.Type(value = SessionUpdate.Plan.class, name = "plan"),
  @JsonSubTypes.Type(value = SessionUpdate.UsageUpdate.class, name = "usage_update"),
  @JsonSubTypes.Type(value = SessionUpdate.CurrentModeUpdate.class, name = "current_mode_update"),
  @JsonSubTypes.Type(value = SessionUpdate.ConfigOptionUpdate.class, name = "config_option_update"),
  @JsonSubTypes.Type(value = SessionUpdate.SessionInfoUpdate.class, name = "session_info_update"),
})
public sealed interface SessionUpdate {

  record UserMessageChunk(ContentBlock content, Optional<String> messageId)
      implements SessionUpdate {}

  record AgentMessageChunk(ContentBlock content, Optional<String> messageId)
      implements SessionUpdate {}

  record AgentThoughtChunk(ContentBlock content, Optional<String> messageId)
      implements SessionUpdate {}

  /** A tool call starts; {@code status} pending or in_progress. */
  record ToolCall(
      String toolCallId,
      String title,
      String kind,
      String status,
      List<ToolCallContent> content,
      List<ToolCallLocation> locations,
      JsonNode rawInput)
      implements SessionUpdate {}

  /** What changed of a tool call: its status, and once done its content and raw output. */
  record ToolCallUpdate(
      String toolCallId,
      Optional<String> status,
      Optional<List<ToolCallContent>> content,
      Optional<List<ToolCallLocation>> locations,
      Optional<JsonNode> rawOutput)
      implements SessionUpdate {}

  /** The whole plan, every time (a client replaces the previous one). */
  record Plan(List<PlanEntry> entries) implements SessionUpdate {}

  /** Tokens in the context now, and the model's context window. */
  record UsageUpdate(long used, long size) implements SessionUpdate {}

  record CurrentModeUpdate(String currentModeId) implements SessionUpdate {}

  record ConfigOptionUpdate(List<ConfigOption> configOptions) implements SessionUpdate {}

  record SessionInfoUpdate(
      Optional<String> title,
      Optional<String> updatedAt,
      @JsonProperty("_meta") Optional<JsonNode> meta)
      implements SessionUpdate {}
}

package goose.provider;

import goose.conversation.Message;
import goose.tool.ToolSpec;
import java.util.List;
import java.util.Objects;

/**
 * One call to the model: the system prompt, the conversation as the agent sees it (agent-visible
 * messages only), and the tools on offer. {@code maxOutputTokens} 0 means the provider's default.
 */
public record ProviderRequest(
    String systemPrompt, List<Message> messages, List<ToolSpec> tools, int maxOutputTokens) {
  public ProviderRequest {
    Objects.requireNonNull(systemPrompt, "system_prompt");
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
  }

  public ProviderRequest(String systemPrompt, List<Message> messages, List<ToolSpec> tools) {
    this(systemPrompt, messages, tools, 0);
  }
}

package goose.provider;

import goose.conversation.Message;
import goose.tool.ToolSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One call to the model: the system prompt, the conversation as the agent sees it (agent-visible
 * messages, with the turn context added), and the tools on offer. {@code maxOutputTokens} 0 means
 * the provider's default. {@code cacheKey} turns prompt caching on: Anthropic gets {@code
 * cache_control} breakpoints, OpenAI's API this key (the session id) as {@code prompt_cache_key};
 * empty sends no cache hints at all.
 */
public record ProviderRequest(
    String systemPrompt,
    List<Message> messages,
    List<ToolSpec> tools,
    int maxOutputTokens,
    Optional<String> cacheKey) {
  public ProviderRequest {
    Objects.requireNonNull(systemPrompt, "system_prompt");
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
    Objects.requireNonNull(cacheKey, "cache_key");
  }

  /** A request without cache hints. */
  public ProviderRequest(
      String systemPrompt, List<Message> messages, List<ToolSpec> tools, int maxOutputTokens) {
    this(systemPrompt, messages, tools, maxOutputTokens, Optional.empty());
  }

  public ProviderRequest(String systemPrompt, List<Message> messages, List<ToolSpec> tools) {
    this(systemPrompt, messages, tools, 0, Optional.empty());
  }

  public boolean cached() {
    return cacheKey.isPresent();
  }
}

package goose.provider;

/** An LLM behind one wire format. Implementations are thread-safe and shared by all sessions. */
public interface Provider {
  /** The provider's name as configured (anthropic, openai, groq, ...). */
  String name();

  /** The model used for calls. */
  String model();

  /** The model's context window in tokens (from GOOSE_CONTEXT_LIMIT or the provider's model table). */
  int contextLimit();

  /**
   * Starts one streamed call. Failures before any event is produced (connection errors, 429, 5xx) are
   * retried here per {@code max_retries}; what remains is thrown as {@link ProviderException}.
   */
  ProviderStream stream(ProviderRequest request);
}

package goose.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** An LLM behind one wire format. Implementations are thread-safe and shared by all sessions. */
public interface Provider {
  /** The provider's name as configured (anthropic, openai, groq, ...). */
  String name();

  /** The model used for calls. */
  String model();

  /**
   * The model's context window in tokens (from GOOSE_CONTEXT_LIMIT or the provider's model table).
   */
  int contextLimit();

  /**
   * The most tokens one reply may have ({@code max_tokens}): GOOSE_MAX_OUTPUT_TOKENS or the model's
   * documented maximum.
   */
  default int maxOutputTokens() {
    return ModelLimits.maxOutputTokens(model());
  }

  /**
   * Starts one streamed call. The request is sent on the stream's first {@code hasNext()}, so a
   * {@link ProviderStream#close()} from another thread can abort it at any point. Failures before
   * any event is handed out (connection errors, 429, 5xx) are retried per {@code max_retries}; what
   * remains is thrown as {@link ProviderException} from {@code hasNext()}/{@code next()}.
   */
  ProviderStream stream(ProviderRequest request);

  /**
   * The body {@link #stream} would send for {@code request}, in this provider's wire format, for
   * showing what the model is sent ({@code goose session prompt}); empty for a provider without
   * one.
   */
  default Optional<ObjectNode> wireBody(ProviderRequest request) {
    return Optional.empty();
  }
}

package goose.provider.openai;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how an OpenAI-compatible Chat Completions API is reached: the full URL of its
 * chat/completions endpoint, the headers of every request (authentication included), the secrets to
 * keep out of error messages, the name of its output-limit field ({@code max_completion_tokens} for
 * OpenAI and Azure, {@code max_tokens} for most compatible servers), whether it accepts {@code
 * stream_options.include_usage}, and whether it takes {@code prompt_cache_key} (OpenAI's own API:
 * requests with the same key are routed to the same prompt cache; other servers may refuse an
 * unknown field).
 */
public record OpenAiEndpoint(
    URI url,
    Map<String, String> headers,
    List<String> secrets,
    String maxTokensField,
    boolean streamUsage,
    boolean promptCacheKey) {
  public OpenAiEndpoint {
    Objects.requireNonNull(url, "url");
    headers = Map.copyOf(headers);
    secrets = List.copyOf(secrets);
    Objects.requireNonNull(maxTokensField, "maxTokensField");
  }

  /**
   * Bearer authentication when a key is given (local servers such as Ollama need none), plus extra
   * headers.
   */
  public static OpenAiEndpoint bearer(
      URI url, Optional<String> apiKey, Map<String, String> extraHeaders, String maxTokensField) {
    Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
    apiKey.ifPresent(k -> headers.put("authorization", "Bearer " + k));
    return new OpenAiEndpoint(url, headers, apiKey.stream().toList(), maxTokensField, true, false);
  }

  public OpenAiEndpoint withStreamUsage(boolean enabled) {
    return new OpenAiEndpoint(url, headers, secrets, maxTokensField, enabled, promptCacheKey);
  }

  public OpenAiEndpoint withPromptCacheKey(boolean enabled) {
    return new OpenAiEndpoint(url, headers, secrets, maxTokensField, streamUsage, enabled);
  }
}

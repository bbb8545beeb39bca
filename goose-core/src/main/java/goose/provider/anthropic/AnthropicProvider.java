package goose.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.provider.HttpProvider;
import goose.provider.ProviderPost;
import goose.provider.ProviderRequest;
import goose.provider.ProviderSettings;
import goose.provider.WireDecoder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Anthropic's Messages API, streamed ({@code POST {ANTHROPIC_HOST}/v1/messages}). Extended thinking
 * is on when a thinking budget is configured ({@code CLAUDE_THINKING_ENABLED}, {@code
 * CLAUDE_THINKING_BUDGET}).
 */
public final class AnthropicProvider extends HttpProvider {
  public static final String DEFAULT_HOST = "https://api.anthropic.com";
  public static final String DEFAULT_MODEL = "claude-sonnet-4-5";
  static final String API_VERSION = "2023-06-01";

  private final URI endpoint;
  private final String apiKey;
  private final OptionalInt thinkingBudget;

  public AnthropicProvider(
      ProviderSettings settings, String host, String apiKey, OptionalInt thinkingBudget) {
    super(settings);
    this.endpoint = join(host, "v1/messages");
    this.apiKey = apiKey;
    this.thinkingBudget = thinkingBudget;
  }

  @Override
  protected ProviderPost httpRequest(ProviderRequest request) {
    return postJson(
        endpoint,
        requestBody(request),
        Map.of("x-api-key", apiKey, "anthropic-version", API_VERSION));
  }

  @Override
  protected ObjectNode requestBody(ProviderRequest request) {
    return AnthropicRequests.body(model(), request, thinkingBudget);
  }

  @Override
  protected WireDecoder newDecoder() {
    return new AnthropicDecoder(name(), secrets());
  }

  @Override
  protected List<String> secrets() {
    return List.of(apiKey);
  }
}

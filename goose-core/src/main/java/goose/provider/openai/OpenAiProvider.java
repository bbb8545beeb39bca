package goose.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.provider.HttpProvider;
import goose.provider.ProviderPost;
import goose.provider.ProviderRequest;
import goose.provider.ProviderSettings;
import goose.provider.WireDecoder;
import java.util.List;

/**
 * The Chat Completions API, streamed. One class serves OpenAI, Azure OpenAI, Ollama, OpenRouter and
 * every declarative OpenAI-compatible provider: they differ only in their {@link OpenAiEndpoint}.
 */
public final class OpenAiProvider extends HttpProvider {
  private final OpenAiEndpoint endpoint;

  public OpenAiProvider(ProviderSettings settings, OpenAiEndpoint endpoint) {
    super(settings);
    this.endpoint = endpoint;
  }

  public OpenAiEndpoint endpoint() {
    return endpoint;
  }

  @Override
  protected ProviderPost httpRequest(ProviderRequest request) {
    return postJson(endpoint.url(), requestBody(request), endpoint.headers());
  }

  @Override
  protected ObjectNode requestBody(ProviderRequest request) {
    return OpenAiRequests.body(model(), request, endpoint);
  }

  @Override
  protected WireDecoder newDecoder() {
    return new OpenAiDecoder(name(), endpoint.secrets());
  }

  @Override
  protected List<String> secrets() {
    return endpoint.secrets();
  }
}

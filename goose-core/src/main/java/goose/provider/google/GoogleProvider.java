package goose.provider.google;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.provider.HttpProvider;
import goose.provider.ProviderPost;
import goose.provider.ProviderRequest;
import goose.provider.ProviderSettings;
import goose.provider.WireDecoder;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Google Gemini, streamed: {@code POST
 * {GOOGLE_HOST}/v1beta/models/MODEL:streamGenerateContent?alt=sse}.
 */
public final class GoogleProvider extends HttpProvider {
  public static final String DEFAULT_HOST = "https://generativelanguage.googleapis.com";
  public static final String DEFAULT_MODEL = "gemini-2.5-flash";

  private final URI endpoint;
  private final String apiKey;

  public GoogleProvider(ProviderSettings settings, String host, String apiKey) {
    super(settings);
    this.endpoint =
        join(
            host,
            "v1beta/models/"
                + URLEncoder.encode(settings.model(), StandardCharsets.UTF_8)
                + ":streamGenerateContent?alt=sse");
    this.apiKey = apiKey;
  }

  @Override
  protected ProviderPost httpRequest(ProviderRequest request) {
    return postJson(endpoint, requestBody(request), Map.of("x-goog-api-key", apiKey));
  }

  @Override
  protected ObjectNode requestBody(ProviderRequest request) {
    return GoogleRequests.body(request);
  }

  @Override
  protected WireDecoder newDecoder() {
    return new GoogleDecoder(name(), secrets());
  }

  @Override
  protected List<String> secrets() {
    return List.of(apiKey);
  }
}

package goose.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

/**
 * What the providers share: a call is one POST of a JSON body answered by an event stream. A
 * subclass says how to build the request and how to read its API's events; the retry, timeout,
 * cancel and error handling live once, in {@link HttpProviderStream}.
 */
public abstract class HttpProvider implements Provider {
  private final ProviderSettings settings;

  protected HttpProvider(ProviderSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public String model() {
    return settings.model();
  }

  @Override
  public int contextLimit() {
    return settings.contextLimit();
  }

  @Override
  public int maxOutputTokens() {
    return settings.maxOutputTokens();
  }

  @Override
  public final ProviderStream stream(ProviderRequest request) {
    HttpRequest httpRequest;
    try {
      httpRequest = httpRequest(request);
    } catch (IllegalArgumentException e) {
      // A header value or URL the HTTP client refuses, typically a key pasted with a stray
      // character.
      // The JDK's message quotes the value, so it is not passed on.
      throw new ProviderException(
          ProviderException.Kind.BAD_REQUEST,
          0,
          name()
              + ": cannot build the request: check the configured key, headers and host for characters HTTP does not allow");
    }
    return new HttpProviderStream(
        name(), settings.http(), httpRequest, this::newDecoder, secrets());
  }

  /** The HTTP request for one call. */
  protected abstract HttpRequest httpRequest(ProviderRequest request);

  /** The JSON body of one call in this provider's wire format, as {@link #httpRequest} sends it. */
  protected abstract ObjectNode requestBody(ProviderRequest request);

  @Override
  public final java.util.Optional<ObjectNode> wireBody(ProviderRequest request) {
    return java.util.Optional.of(requestBody(request));
  }

  /** A fresh decoder for one response. */
  protected abstract WireDecoder newDecoder();

  /** Secret values to blank out of error messages (API keys). */
  protected abstract List<String> secrets();

  /**
   * A JSON POST accepting an event stream. Plain-http endpoints (Ollama, LM Studio, test fakes) are
   * spoken to in HTTP/1.1, so the client does not try an h2c upgrade on every call.
   */
  protected static HttpRequest postJson(URI uri, ObjectNode body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .header("content-type", "application/json")
            .header("accept", "text/event-stream")
            .header("user-agent", "goosed")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    headers.forEach(b::header);
    if ("http".equalsIgnoreCase(uri.getScheme())) b.version(HttpClient.Version.HTTP_1_1);
    return b.build();
  }

  /** {@code base} joined with {@code path} with exactly one slash between them. */
  public static URI join(String base, String path) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    String p = path.startsWith("/") ? path.substring(1) : path;
    return URI.create(p.isEmpty() ? b : b + "/" + p);
  }
}

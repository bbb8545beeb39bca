package goose.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
    ProviderPost httpRequest;
    try {
      httpRequest = httpRequest(request);
    } catch (IllegalArgumentException e) {
      // A header value or URL HTTP does not allow, typically a key pasted with a stray character.
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
  protected abstract ProviderPost httpRequest(ProviderRequest request);

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
   * A JSON POST accepting an event stream; {@code headers} are added to (or replace) the standard
   * ones.
   *
   * @throws IllegalArgumentException for a header name or value HTTP does not allow
   */
  protected static ProviderPost postJson(URI uri, ObjectNode body, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>();
    all.put("content-type", "application/json");
    all.put("accept", "text/event-stream");
    all.put("user-agent", "goosed");
    headers.forEach((name, value) -> all.put(name.toLowerCase(java.util.Locale.ROOT), value));
    return new ProviderPost(uri, all, Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code base} joined with {@code path} with exactly one slash between them. */
  public static URI join(String base, String path) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    String p = path.startsWith("/") ? path.substring(1) : path;
    return URI.create(p.isEmpty() ? b : b + "/" + p);
  }
}

package goose.provider;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One provider call as it is sent: a POST of {@code body} (JSON) to {@code uri} with {@code
 * headers}. Header names and values are checked here, when the provider builds the call, so a key
 * pasted with a line break or another character HTTP does not allow is refused before anything is
 * sent (and without quoting the value). A class rather than a record: its body is an array.
 */
public final class ProviderPost {
  private final URI uri;
  private final Map<String, String> headers;
  private final byte[] body;

  /** The body array is kept as given (not copied): it is sent as it is, possibly more than once. */
  public ProviderPost(URI uri, Map<String, String> headers, byte[] body) {
    this.uri = Objects.requireNonNull(uri);
    this.body = Objects.requireNonNull(body);
    this.headers = Map.copyOf(headers);
    String scheme = uri.getScheme();
    if (uri.getHost() == null
        || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)))
      throw new IllegalArgumentException("not an http(s) URL");
    this.headers.forEach(
        (name, value) -> {
          if (!isToken(name)) throw new IllegalArgumentException("invalid header name");
          if (!isFieldValue(value)) throw new IllegalArgumentException("invalid header value");
        });
  }

  public URI uri() {
    return uri;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The body as sent; not to be modified. */
  public byte[] body() {
    return body;
  }

  /** RFC 9110 token: the characters a header name may have. */
  private static boolean isToken(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) return false;
    }
    return true;
  }

  /** RFC 9110 field-value: visible characters, spaces and tabs, no line breaks or controls. */
  private static boolean isFieldValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) return false;
    }
    return true;
  }

  @Override
  public String toString() {
    return "ProviderPost[" + uri + ", " + body.length + " bytes]";
  }
}

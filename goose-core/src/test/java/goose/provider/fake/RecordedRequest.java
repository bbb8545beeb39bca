package goose.provider.fake;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import java.util.Map;
import java.util.Optional;

/**
 * One request a fake provider received. Header names are lower case. {@code receivedAtNanos} is
 * {@link System#nanoTime()} when the request was fully read (to check back-off lower bounds).
 */
public record RecordedRequest(
    String method, String target, Map<String, String> headers, String body, long receivedAtNanos) {

  /** The path without the query string. */
  public String path() {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  public Optional<String> query() {
    int q = target.indexOf('?');
    return q < 0 ? Optional.empty() : Optional.of(target.substring(q + 1));
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
  }

  public JsonNode json() {
    return Json.parse(body);
  }

  /**
   * The {@code messages} array of a JSON body POSTed to a path ending in {@code endpoint}; empty
   * for any other request.
   */
  public Optional<JsonNode> messagesPostedTo(String endpoint) {
    if (!method.equals("POST") || !path().endsWith(endpoint)) return Optional.empty();
    try {
      return Optional.of(json().path("messages"));
    } catch (RuntimeException notJson) {
      return Optional.empty();
    }
  }
}

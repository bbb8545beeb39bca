package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A plain JDK HTTP client for tests. Every JSON response it receives is checked against the OpenAPI
 * document's schema for that operation and status ({@link SpecCheck}), so every test doubles as a
 * test of the spec.
 */
final class ApiClient {
  // As long as a request may take: a hundred connects at once on a loaded 2-core machine (load 30)
  // took longer than 5 s (ServerLifecycleTest).
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final URI base;

  ApiClient(URI base) {
    this.base = base;
  }

  URI base() {
    return base;
  }

  record Response(int status, Map<String, java.util.List<String>> headers, String body) {
    JsonNode json() {
      return Json.parse(body);
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    /** Asserts the status and the error code of an error response, and returns its message. */
    String error(int expectedStatus, String expectedCode) {
      assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
      JsonNode json = json();
      assertThat(json.path("error").path("code").asText()).as(body).isEqualTo(expectedCode);
      assertThat(body).doesNotContain("\tat ").doesNotContain("Exception");
      return json.path("error").path("message").asText();
    }
  }

  Response get(String path) {
    return send("GET", path, HttpRequest.BodyPublishers.noBody(), null);
  }

  Response delete(String path) {
    return send("DELETE", path, HttpRequest.BodyPublishers.noBody(), null);
  }

  Response post(String path, String json) {
    return send("POST", path, HttpRequest.BodyPublishers.ofString(json), "application/json");
  }

  Response patch(String path, String json) {
    return send("PATCH", path, HttpRequest.BodyPublishers.ofString(json), "application/json");
  }

  Response send(
      String method,
      String path,
      HttpRequest.BodyPublisher body,
      String contentType,
      String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body);
    if (contentType != null) request.header("Content-Type", contentType);
    if (headers.length > 0) request.headers(headers);
    try {
      HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Response response = new Response(r.statusCode(), r.headers().map(), r.body());
      SpecCheck.check(method, URI.create(path).getPath(), response);
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

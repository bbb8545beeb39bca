package goose.cli;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to a goosed started as a separate process. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  record Response(int status, String body) {
    JsonNode json() {
      return Json.parse(body);
    }
  }

  private Http() {}

  static Response get(URI base, String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), "application/json");
  }

  static Response post(URI base, String path, String json) {
    return post(base, path, json, "application/json");
  }

  /**
   * POST with an {@code Accept} header: {@code text/event-stream} answers a turn's whole stream.
   */
  static Response post(URI base, String path, String json, String accept) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        accept);
  }

  static Response put(URI base, String path, String json) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)),
        "application/json");
  }

  static Response delete(URI base, String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE(), "application/json");
  }

  private static Response send(HttpRequest.Builder request, String accept) {
    try {
      HttpResponse<String> r =
          CLIENT.send(
              request.header("Accept", accept).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates a session in {@code cwd}; its id. */
  static String createSession(URI base, java.nio.file.Path cwd) {
    Response r = post(base, "/sessions", "{\"cwd\":" + Json.write(cwd.toString()) + "}");
    if (r.status() != 201 && r.status() != 200)
      throw new AssertionError("POST /sessions: " + r.status() + " " + r.body());
    return r.json().get("id").asText();
  }
}

package goose.server;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.provider.SseDecoder;
import goose.provider.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Server-Sent Events client for tests: opens a stream, reads it event by event, can hang up.
 * Every event it reads is checked against the OpenAPI document's TurnEvent schema ({@link
 * SpecCheck#checkEvent}).
 */
final class SseClient implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  record Event(long id, String name, JsonNode data) {}

  final int status;
  final HttpResponse<InputStream> response;
  private final SseDecoder decoder;

  private SseClient(HttpResponse<InputStream> response) {
    this.status = response.statusCode();
    this.response = response;
    this.decoder = new SseDecoder(response.body());
  }

  static SseClient post(URI base, String path, String json, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream");
    if (headers.length > 0) b.headers(headers);
    return open(b.build());
  }

  static SseClient get(URI base, String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).GET().header("Accept", "text/event-stream");
    if (headers.length > 0) b.headers(headers);
    return open(b.build());
  }

  private static SseClient open(HttpRequest request) {
    try {
      return new SseClient(HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse("");
  }

  String body() throws IOException {
    return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** The next event (comments skipped); empty at the end of the stream. */
  Optional<Event> next() throws IOException {
    Optional<SseEvent> read = decoder.next();
    if (read.isEmpty()) return Optional.empty();
    SseEvent e = read.get();
    Event event =
        new Event(e.id().isEmpty() ? -1 : Long.parseLong(e.id()), e.event(), Json.parse(e.data()));
    SpecCheck.checkEvent(event.name(), event.data());
    return Optional.of(event);
  }

  /** Events up to and including the first message_complete. */
  List<Event> untilComplete() throws IOException {
    List<Event> events = new ArrayList<>();
    while (true) {
      Event e =
          next()
              .orElseThrow(
                  () -> new AssertionError("stream ended before message_complete; got " + events));
      events.add(e);
      if (e.name().equals("message_complete")) return events;
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // closing is all we wanted
    }
  }
}

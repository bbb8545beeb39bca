package goose.cli;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.provider.SseDecoder;
import goose.provider.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Follows {@code GET /sessions/{id}/events} of a goosed process in the background, keeping every
 * event (name and data) it receives, for tests that wait for an event and then look at the rest.
 */
final class SseFollower implements AutoCloseable {
  record Event(long id, String name, JsonNode data) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile InputStream body;

  private SseFollower(URI base, String sessionId) {
    reader =
        Thread.ofPlatform()
            .daemon()
            .name("sse-" + sessionId)
            .start(() -> follow(base.resolve("/sessions/" + sessionId + "/events")));
  }

  static SseFollower follow(URI base, String sessionId) {
    return new SseFollower(base, sessionId);
  }

  private void follow(URI uri) {
    try {
      HttpResponse<InputStream> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      body = response.body();
      try (InputStream in = body) {
        SseDecoder decoder = new SseDecoder(in);
        for (Optional<SseEvent> e = decoder.next(); e.isPresent(); e = decoder.next()) {
          String id = e.get().id().strip();
          events.add(
              new Event(
                  id.isEmpty() ? -1 : Long.parseLong(id),
                  e.get().event().strip(),
                  Json.parse(e.get().data())));
        }
      }
    } catch (IOException e) {
      // closed by the test, or the server went away: the events so far stay readable
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  /** Waits until an event matching {@code wanted} has arrived; fails after {@code timeout}. */
  Event await(Predicate<Event> wanted, Duration timeout, String what) {
    return within(
        timeout,
        () -> events.stream().filter(wanted).findFirst(),
        () -> "no " + what + " within " + timeout + "; events: " + names());
  }

  /** The {@code n}-th (1-based) {@code message_complete} of the stream. */
  Event awaitComplete(int n, Duration timeout) {
    return within(
        timeout,
        () ->
            events.stream()
                .filter(e -> e.name().equals("message_complete"))
                .skip(n - 1)
                .findFirst(),
        () -> "no message_complete #" + n + " within " + timeout + "; events: " + names());
  }

  /** The first value {@code find} gives within {@code timeout}; else fails with {@code failure}. */
  private static Event within(
      Duration timeout, Callable<Optional<Event>> find, Supplier<String> failure) {
    try {
      return Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(20))
          .until(find, Optional::isPresent)
          .orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(failure.get(), e);
    }
  }

  List<String> names() {
    return events.stream().map(Event::name).toList();
  }

  @Override
  public void close() {
    InputStream b = body;
    try {
      if (b != null) b.close();
    } catch (IOException ignored) {
      // closing the stream is all that was asked
    }
    reader.interrupt();
  }
}

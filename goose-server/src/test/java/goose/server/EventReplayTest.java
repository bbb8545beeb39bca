package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.provider.fake.FakeOpenAiServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-attaching the way a standard EventSource does: it keeps the URL it was given (the server's own
 * {@code events_url}, which carries {@code ?after=}) and adds {@code Last-Event-ID} on reconnect.
 * The header must win, on {@code GET /sessions/{id}/events} and on a turn re-attached by its {@code
 * request_id}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventReplayTest {
  @TempDir java.nio.file.Path root;
  FakeOpenAiServer openai;
  TestServer goosed;
  String sessionId;

  @BeforeEach
  void start() {
    openai = new FakeOpenAiServer();
    goosed =
        TestServer.start(
            root,
            Map.of(
                "GOOSE_PROVIDER",
                "openai",
                "OPENAI_HOST",
                openai.baseUri().toString(),
                "OPENAI_API_KEY",
                "sk-test"));
    sessionId =
        goosed
            .client
            .post("/sessions", "{\"cwd\":" + goose.json.Json.write(root.toString()) + "}")
            .json()
            .get("id")
            .asText();
  }

  @AfterEach
  void stop() {
    goosed.close();
    openai.close();
  }

  @Test
  void anEventSourceReconnectingToEventsUrlWithLastEventIdGetsOnlyWhatItMissed() throws Exception {
    openai.enqueue(
        FakeOpenAiServer.text("one ", "two ", "three ", "four")
            .withChunkDelay(Duration.ofMillis(100)));
    JsonNode accepted =
        goosed
            .client
            .send(
                "POST",
                "/sessions/" + sessionId + "/messages",
                HttpRequest.BodyPublishers.ofString("{\"content\":\"count\"}"),
                "application/json",
                "Accept",
                "application/json")
            .json();
    String eventsUrl = accepted.get("events_url").asText();
    assertThat(eventsUrl).contains("?after=");

    List<SseClient.Event> all;
    try (SseClient first = SseClient.get(goosed.server.uri(), eventsUrl)) {
      all = first.untilComplete();
    }
    assertThat(all.size()).isGreaterThanOrEqualTo(4);
    long seen = all.get(1).id(); // the connection "dropped" after the second event

    try (SseClient again =
        SseClient.get(goosed.server.uri(), eventsUrl, "Last-Event-ID", String.valueOf(seen))) {
      List<SseClient.Event> rest = again.untilComplete();
      assertThat(rest.getFirst().id()).isEqualTo(seen + 1);
      assertThat(rest).isEqualTo(all.subList(2, all.size()));
    }
  }

  @Test
  void aBadLastEventIdIsStill400AndABadAfterIsCheckedEvenWithTheHeader() {
    follow("?after=0", "x").error(400, "invalid_parameter");
    follow("?after=-4", "1").error(400, "invalid_parameter");
  }

  /** GET of the session's events with {@code query} and a Last-Event-ID header. */
  private ApiClient.Response follow(String query, String lastEventId) {
    return goosed.client.send(
        "GET",
        "/sessions/" + sessionId + "/events" + query,
        HttpRequest.BodyPublishers.noBody(),
        null,
        "Last-Event-ID",
        lastEventId);
  }

  /** POST of a message {@code body} to the session, with a Last-Event-ID header when given. */
  private SseClient send(String body, Optional<Long> lastEventId) {
    String path = "/sessions/" + sessionId + "/messages";
    return lastEventId.isEmpty()
        ? SseClient.post(goosed.server.uri(), path, body)
        : SseClient.post(
            goosed.server.uri(), path, body, "Last-Event-ID", String.valueOf(lastEventId.get()));
  }

  @Test
  void reattachingByRequestIdResumesAfterLastEventId() throws Exception {
    openai.enqueue(
        FakeOpenAiServer.text("a", "b", "c", "d", "e", "f").withChunkDelay(Duration.ofMillis(150)));
    String body =
        "{\"content\":\"letters\",\"request_id\":\"req-42\",\"on_disconnect\":\"continue\"}";
    List<SseClient.Event> before = new ArrayList<>();
    SseClient sse = send(body, Optional.empty());
    before.add(sse.next().orElseThrow());
    before.add(sse.next().orElseThrow());
    sse.close();
    long seen = before.getLast().id();

    try (SseClient again = send(body, Optional.of(seen))) {
      List<SseClient.Event> rest = again.untilComplete();
      assertThat(rest.getFirst().id()).isEqualTo(seen + 1);
      assertThat(TurnRoutesTest.texts(before) + TurnRoutesTest.texts(rest)).isEqualTo("abcdef");
    }
    assertThat(openai.requests()).hasSize(1);
  }

  @Test
  void reattachingToAFinishedTurnFromItsLastEventEndsAtOnceWithNothingToSend() throws Exception {
    openai.enqueue(FakeOpenAiServer.text("done"));
    String body = "{\"content\":\"hi\",\"request_id\":\"req-7\"}";
    List<SseClient.Event> all;
    try (SseClient sse = send(body, Optional.empty())) {
      all = sse.untilComplete();
    }
    try (SseClient again = send(body, Optional.of(all.getLast().id()))) {
      assertThat(again.next()).isEmpty();
    }
    try (SseClient middle = send(body, Optional.of(all.getFirst().id()))) {
      assertThat(middle.untilComplete()).isEqualTo(all.subList(1, all.size()));
    }
  }
}

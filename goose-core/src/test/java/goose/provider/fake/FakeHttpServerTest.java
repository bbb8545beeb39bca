package goose.provider.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake itself: what tests of other modules rely on when they script it. */
class FakeHttpServerTest {
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> post(FakeHttpServer fake, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(fake.baseUri().resolve("/v1/messages?x=1"))
            .header("x-api-key", "k")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anUnscriptedRequestGetsA500SayingSo() throws Exception {
    try (FakeHttpServer fake = new FakeAnthropicServer()) {
      HttpResponse<String> r = post(fake, "{}");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("no scripted reply for request 1");
    }
  }

  @Test
  void repliesInOrderAndRecordsRequests() throws Exception {
    try (FakeHttpServer fake = new FakeOpenAiServer()) {
      FakeExchange first = fake.enqueue(FakeOpenAiServer.rateLimited(3));
      fake.enqueue(
          FakeReply.Stream.of("text/event-stream", List.of("data: a\n\n", "data: b\n\n"))
              .rechunked(1));
      HttpResponse<String> limited = post(fake, "{\"n\":1}");
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("retry-after")).contains("3");
      HttpResponse<String> streamed = post(fake, "{\"n\":2}");
      assertThat(streamed.statusCode()).isEqualTo(200);
      assertThat(streamed.headers().firstValue("content-type")).contains("text/event-stream");
      assertThat(streamed.body()).isEqualTo("data: a\n\ndata: b\n\n");
      assertThat(first.request().body()).isEqualTo("{\"n\":1}");
      assertThat(first.request().path()).isEqualTo("/v1/messages");
      assertThat(first.request().query()).contains("x=1");
      assertThat(first.request().header("X-Api-Key")).contains("k");
      assertThat(first.clientClosedEarly()).isFalse();
      assertThat(fake.awaitRequests(2, Duration.ofSeconds(5))).hasSize(2);
    }
  }
}

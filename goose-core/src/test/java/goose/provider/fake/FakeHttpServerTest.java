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
    return post(fake, "/v1/messages?x=1", body);
  }

  private HttpResponse<String> post(FakeHttpServer fake, String target, String body)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(fake.baseUri().resolve(target))
            .header("x-api-key", "k")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anthropicRefusesAToolUseWithoutItsResultInTheNextMessageAsTheRealApi() throws Exception {
    try (FakeHttpServer fake = new FakeAnthropicServer()) {
      fake.enqueue(FakeAnthropicServer.text("ok"));
      String call =
          "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\","
              + "\"name\":\"x\",\"input\":{}}]}";
      String user = "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}";
      String result =
          "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
              + "\"tool_use_id\":\"toolu_1\",\"content\":\"done\"}]}";

      HttpResponse<String> unanswered =
          post(fake, "{\"messages\":[" + user + "," + call + "," + user + "]}");
      assertThat(unanswered.statusCode()).isEqualTo(400);
      assertThat(unanswered.body())
          .contains("invalid_request_error")
          .contains("messages.1: `tool_use` ids were found without `tool_result` blocks")
          .contains("toolu_1");
      HttpResponse<String> stray = post(fake, "{\"messages\":[" + user + "," + result + "]}");
      assertThat(stray.statusCode()).isEqualTo(400);
      assertThat(stray.body()).contains("unexpected `tool_use_id`");

      // A refused request takes no scripted reply: the next good one gets it.
      HttpResponse<String> answered =
          post(fake, "{\"messages\":[" + user + "," + call + "," + result + "]}");
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(answered.body()).contains("message_stop");
    }
  }

  @Test
  void openAiRefusesToolCallsWithoutToolMessagesRightAfterAsTheRealApi() throws Exception {
    try (FakeHttpServer fake = new FakeOpenAiServer()) {
      fake.enqueue(FakeOpenAiServer.text("ok"));
      String path = "/v1/chat/completions";
      String call =
          "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
              + "\"function\":{\"name\":\"x\",\"arguments\":\"{}\"}}]}";
      String user = "{\"role\":\"user\",\"content\":\"hi\"}";
      String tool = "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"done\"}";

      HttpResponse<String> unanswered =
          post(fake, path, "{\"messages\":[" + user + "," + call + "," + user + "]}");
      assertThat(unanswered.statusCode()).isEqualTo(400);
      assertThat(unanswered.body())
          .contains("invalid_request_error")
          .contains("did not have response messages: call_1");
      HttpResponse<String> stray = post(fake, path, "{\"messages\":[" + user + "," + tool + "]}");
      assertThat(stray.statusCode()).isEqualTo(400);
      assertThat(stray.body()).contains("must be a response to a preceeding message");

      HttpResponse<String> answered =
          post(fake, path, "{\"messages\":[" + user + "," + call + "," + tool + "," + user + "]}");
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(answered.body()).contains("[DONE]");
    }
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

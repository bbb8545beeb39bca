package goose.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import goose.generated.client.ApiClient;
import goose.generated.client.ApiException;
import goose.generated.client.ApiResponse;
import goose.generated.client.api.SessionsApi;
import goose.generated.client.api.StatusApi;
import goose.generated.client.api.TurnsApi;
import goose.generated.client.model.ApiError;
import goose.generated.client.model.ApiErrorDetail;
import goose.generated.client.model.ContentText;
import goose.generated.client.model.CreateSessionRequest;
import goose.generated.client.model.MessageView;
import goose.generated.client.model.SendMessageRequest;
import goose.generated.client.model.SessionDetail;
import goose.generated.client.model.SessionView;
import goose.generated.client.model.TurnEvent;
import goose.generated.client.model.TurnEventError;
import goose.generated.client.model.TurnEventMessageChunk;
import goose.generated.client.model.TurnEventMessageComplete;
import goose.generated.client.model.UpdateSessionRequest;
import goose.provider.SseDecoder;
import goose.provider.SseEvent;
import goose.provider.fake.FakeOpenAiServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java client generated from the committed openapi.json by openapi-generator (library {@code
 * native}: java.net.http + Jackson; see this module's pom) runs a session against the real server:
 * create, send a message to a fake provider, list, get, rename, delete, with every error read as
 * the generated {@code ApiError}. The generator has no Server-Sent Events support, so the document
 * gives the stream no JSON schema: the generated {@code sendMessage} drains the stream until the
 * turn ends instead of parsing it as JSON, and the events themselves are read here with the
 * generated {@code TurnEvent} model, which dispatches on its {@code event} discriminator.
 */
class GeneratedJavaClientTest {
  @TempDir Path root;
  RealServer goosed;
  ApiClient client;
  SessionsApi sessions;
  TurnsApi turns;

  @BeforeEach
  void start() {
    goosed = new RealServer(root);
    client = new ApiClient();
    client.updateBaseUri(goosed.uri().toString());
    client.setReadTimeout(Duration.ofSeconds(60));
    sessions = new SessionsApi(client);
    turns = new TurnsApi(client);
  }

  @AfterEach
  void stop() {
    if (goosed != null) goosed.close();
  }

  @Test
  void runsASessionScenarioAgainstTheRealServer() throws Exception {
    assertThat(new StatusApi(client).getStatus().getStatus()).isEqualTo("ok");

    SessionView created =
        sessions.createSession(
            new CreateSessionRequest().cwd(goosed.workDir.toString()).name("generated java"));
    assertThat(created.getName()).isEqualTo("generated java");
    assertThat(created.getMessageCount()).isZero();

    // The generated method sends Accept: text/event-stream, application/json, gets the stream
    // and reads it to its end (the turn's end) without parsing it as JSON.
    goosed.provider.enqueue(FakeOpenAiServer.text("Hello ", "from the fake ", "provider."));
    turns.sendMessage(created.getId(), new SendMessageRequest().content("Say hello"));
    SessionDetail detail = sessions.getSession(created.getId());
    assertThat(detail.getMessageCount()).isEqualTo(2);
    assertThat(textOf(detail.getMessages().get(1))).isEqualTo("Hello from the fake provider.");
    assertThat(goosed.provider.lastRequest().json().toString()).contains("Say hello");

    assertThat(sessions.listSessions(10, null, "generated").getSessions())
        .extracting(SessionView::getId)
        .containsExactly(created.getId());
    assertThat(sessions.listSessions(10, null, "no such name").getSessions()).isEmpty();

    SessionView renamed =
        sessions.updateSession(created.getId(), new UpdateSessionRequest().name("renamed"));
    assertThat(renamed.getName()).isEqualTo("renamed");
    assertThat(sessions.getSession(created.getId()).getName()).isEqualTo("renamed");

    sessions.deleteSession(created.getId());
    ApiException gone =
        catchThrowableOfType(ApiException.class, () -> sessions.getSession(created.getId()));
    assertThat(gone.getCode()).isEqualTo(404);
    ApiError notFound = errorOf(gone);
    assertThat(notFound.getError().getCode()).isEqualTo(ApiErrorDetail.CodeEnum.NOT_FOUND);
    assertThat(notFound.getError().getMessage()).contains(created.getId());
  }

  @Test
  void badRequestsAnswerTheJsonErrorType() {
    ApiException relative =
        catchThrowableOfType(
            ApiException.class,
            () -> sessions.createSession(new CreateSessionRequest().cwd("not/absolute")));
    assertThat(relative.getCode()).isEqualTo(400);
    assertThat(errorOf(relative).getError().getCode())
        .isEqualTo(ApiErrorDetail.CodeEnum.INVALID_FIELD);
    assertThat(errorOf(relative).getError().getMessage()).contains("cwd");

    ApiException limit =
        catchThrowableOfType(ApiException.class, () -> sessions.listSessions(100_000, null, null));
    assertThat(limit.getCode()).isEqualTo(400);
    assertThat(errorOf(limit).getError().getCode())
        .isEqualTo(ApiErrorDetail.CodeEnum.INVALID_PARAMETER);

    assertThatThrownBy(
            () -> turns.sendMessage("no-such-session", new SendMessageRequest().content("hi")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(errorOf(e).getError().getCode())
                    .isEqualTo(ApiErrorDetail.CodeEnum.NOT_FOUND));
  }

  /**
   * A client that asks for JSON gets 202 and no stream; the events it then follows parse into the
   * generated TurnEvent variants, a provider failure as a turn_error.
   */
  @Test
  void jsonClientsGet202AndEventsParseIntoTheGeneratedUnion() throws Exception {
    String id =
        sessions.createSession(new CreateSessionRequest().cwd(goosed.workDir.toString())).getId();
    ApiClient jsonOnly = new ApiClient();
    jsonOnly.updateBaseUri(goosed.uri().toString());
    jsonOnly.setRequestInterceptor(b -> b.setHeader("Accept", "application/json"));
    goosed.provider.enqueue(FakeOpenAiServer.text("queued ", "reply"));
    ApiResponse<Void> accepted =
        new TurnsApi(jsonOnly)
            .sendMessageWithHttpInfo(id, new SendMessageRequest().content("in the background"));
    assertThat(accepted.getStatusCode()).isEqualTo(202);

    List<TurnEvent> first = follow(id, 0);
    assertThat(first.getLast().getActualInstance())
        .isInstanceOfSatisfying(
            TurnEventMessageComplete.class,
            c -> assertThat(c.getStopReason()).isEqualTo("end_turn"));
    StringBuilder text = new StringBuilder();
    for (TurnEvent e : first) {
      if (e.getActualInstance() instanceof TurnEventMessageChunk chunk)
        text.append(chunk.getText());
    }
    assertThat(text).hasToString("queued reply");

    goosed.provider.enqueue(
        FakeOpenAiServer.error(
            401, Map.of(), "invalid_request_error", "invalid_api_key", "Incorrect API key"));
    turns.sendMessage(id, new SendMessageRequest().content("this one fails"));
    List<TurnEvent> second = follow(id, first.size());
    assertThat(second).hasSize(2);
    assertThat(second.getFirst().getActualInstance())
        .isInstanceOfSatisfying(
            TurnEventError.class,
            e -> {
              assertThat(e.getEvent()).isEqualTo(TurnEventError.EventEnum.TURN_ERROR);
              assertThat(e.getCode()).isEqualTo("provider_auth");
            });
    assertThat(second.getLast().getActualInstance()).isInstanceOf(TurnEventMessageComplete.class);
  }

  /**
   * The events of {@code GET /sessions/{id}/events} after {@code after}, up to the first
   * message_complete, each data parsed by the generated client's mapper; the SSE event name must
   * equal the data's {@code event} discriminator.
   */
  private List<TurnEvent> follow(String sessionId, int after) throws Exception {
    ObjectMapper mapper = client.getObjectMapper();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(goosed.uri() + "/sessions/" + sessionId + "/events?after=" + after))
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(60))
            .build();
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    List<TurnEvent> events = new ArrayList<>();
    try (InputStream in = response.body()) {
      SseDecoder decoder = new SseDecoder(in);
      for (Optional<SseEvent> e = decoder.next(); e.isPresent(); e = decoder.next()) {
        String data = e.get().data();
        TurnEvent event = mapper.readValue(data, TurnEvent.class);
        assertThat(mapper.readTree(data).path("event").asText()).isEqualTo(e.get().event());
        events.add(event);
        if (event.getActualInstance() instanceof TurnEventMessageComplete) return events;
      }
    }
    throw new AssertionError("the stream ended before message_complete: " + events);
  }

  private ApiError errorOf(ApiException e) {
    try {
      return client.getObjectMapper().readValue(e.getResponseBody(), ApiError.class);
    } catch (java.io.IOException io) {
      throw new AssertionError("not an ApiError: " + e.getResponseBody(), io);
    }
  }

  private static String textOf(MessageView message) {
    StringBuilder text = new StringBuilder();
    message
        .getContent()
        .forEach(
            c -> {
              if (c.getActualInstance() instanceof ContentText t) text.append(t.getText());
            });
    return text.toString();
  }
}

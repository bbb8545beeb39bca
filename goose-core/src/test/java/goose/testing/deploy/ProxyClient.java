package goose.testing.deploy;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * HTTP(S) requests to goosed, through nginx as one basic-auth user (or none) or straight to a
 * container, with headers sent on every request; and a line-by-line SSE reader.
 */
public final class ProxyClient {
  private final HttpClient http;
  private final URI base;
  private final Optional<String> authorization;
  private final List<String> everyRequest = new ArrayList<>();

  public ProxyClient(SSLContext tls, URI base, Optional<String> user, String password) {
    this.http =
        HttpClient.newBuilder()
            .sslContext(tls)
            .version(HttpClient.Version.HTTP_1_1)
            // As long as a request may take: at a load of 38 the connection through nginx (TCP and
            // the TLS handshake) once took more than 5 s.
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.base = base;
    this.authorization =
        user.map(
            u ->
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((u + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Plain HTTP (a container's published port) with these header name/value pairs on every request.
   */
  public static ProxyClient direct(URI base, String... headers) throws Exception {
    return new ProxyClient(SSLContext.getDefault(), base, Optional.empty(), "").with(headers);
  }

  /** A WebSocket to {@code path} (wss/ws from the base), with this client's credentials. */
  public java.net.http.WebSocket webSocket(String path, java.net.http.WebSocket.Listener listener)
      throws Exception {
    java.net.http.WebSocket.Builder builder = http.newWebSocketBuilder();
    authorization.ifPresent(a -> builder.header("Authorization", a));
    for (int i = 0; i + 1 < everyRequest.size(); i += 2) {
      builder.header(everyRequest.get(i), everyRequest.get(i + 1));
    }
    URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + path);
    return builder.buildAsync(uri, listener).get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Adds header name/value pairs sent on every request (a secret key, a bearer token). */
  public ProxyClient with(String... headers) {
    everyRequest.addAll(List.of(headers));
    return this;
  }

  public record Reply(int status, String body, HttpResponse<String> response) {
    public JsonNode json() {
      return Json.parse(body);
    }
  }

  public Reply get(String path, String... headers) throws Exception {
    return send(request(path, headers).GET().build());
  }

  public Reply post(String path, String json, String... headers) throws Exception {
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** Opens an event stream (POST with a JSON body, or GET when {@code json} is empty). */
  public EventStream stream(String path, Optional<String> json, String... headers)
      throws Exception {
    HttpRequest.Builder b = request(path, headers).header("Accept", "text/event-stream");
    json.ifPresentOrElse(
        j ->
            b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(j)),
        b::GET);
    HttpResponse<InputStream> response =
        http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    return new EventStream(response);
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    authorization.ifPresent(a -> b.header("Authorization", a));
    if (!everyRequest.isEmpty()) b.headers(everyRequest.toArray(String[]::new));
    if (headers.length > 0) b.headers(headers);
    return b;
  }

  private Reply send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body(), r);
  }

  /**
   * Server-Sent Events as they arrive: {@link #next()} blocks until one whole event has been read.
   */
  public static final class EventStream implements AutoCloseable {
    public record Event(String name, JsonNode data) {}

    public final int status;
    private final SseDecoder decoder;
    private final HttpResponse<InputStream> response;
    private long firstId = -1;

    public EventStream(HttpResponse<InputStream> response) {
      this.status = response.statusCode();
      this.response = response;
      this.decoder = new SseDecoder(response.body());
    }

    public Optional<String> header(String name) {
      return response.headers().firstValue(name);
    }

    /** The next event (comments skipped); empty at the end of the stream. */
    public Optional<Event> next() throws IOException {
      Optional<SseEvent> read = decoder.next();
      if (read.isEmpty()) return Optional.empty();
      SseEvent e = read.get();
      if (firstId < 0 && !e.id().isBlank()) firstId = Long.parseLong(e.id().strip());
      return Optional.of(new Event(e.event(), Json.parse(e.data())));
    }

    /** The sequence number ({@code id:}) of the first event read; for {@code ?after=}. */
    public long firstId() {
      if (firstId < 0) throw new AssertionError("no event with an id read yet");
      return firstId;
    }

    public List<Event> untilComplete() throws IOException {
      List<Event> events = new ArrayList<>();
      for (Optional<Event> e = next(); e.isPresent(); e = next()) {
        events.add(e.get());
        if (e.get().name().equals("message_complete")) break;
      }
      return events;
    }

    @Override
    public void close() throws IOException {
      response.body().close();
    }
  }
}

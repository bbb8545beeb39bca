package goose.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request and everything that came back, for tests that go through every route: an event stream
 * is read until its first {@code message_complete} or a short deadline, then hung up on, so a
 * stream that would follow forever still yields what it replayed.
 */
record Exchange(int status, Map<String, List<String>> headers, String body) {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();

  static Exchange send(URI base, String method, String path, String jsonBody, String... headers) {
    HttpRequest.BodyPublisher publisher =
        jsonBody == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .method(method, publisher);
    if (jsonBody != null) b.header("Content-Type", "application/json");
    if (headers.length > 0) b.headers(headers);
    try {
      HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      boolean stream =
          r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
      String body =
          stream
              ? readStream(r.body())
              : new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
      return new Exchange(r.statusCode(), r.headers().map(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String readStream(InputStream in) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    Future<?> reader =
        READERS.submit(
            () -> {
              byte[] buf = new byte[4096];
              int n;
              while ((n = in.read(buf)) > 0) {
                synchronized (seen) {
                  seen.write(buf, 0, n);
                  if (seen.toString(StandardCharsets.UTF_8).contains("event: message_complete"))
                    return null;
                }
              }
              return null;
            });
    try {
      reader.get(3, TimeUnit.SECONDS);
    } catch (TimeoutException stillFollowing) {
      // a live stream: what it replayed so far is what we wanted
    } catch (Exception e) {
      // the stream broke; keep what arrived
    } finally {
      in.close();
      reader.cancel(true);
    }
    synchronized (seen) {
      return seen.toString(StandardCharsets.UTF_8);
    }
  }

  String header(String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> e.getValue().get(0))
        .findFirst()
        .orElse(null);
  }

  boolean isJsonError(String code) {
    return body.startsWith("{\"error\":{\"code\":\"" + code + "\"");
  }
}

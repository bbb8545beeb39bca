package goose.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Small JSON-over-HTTP helpers on loopback (java.net.http; the streaming paths use {@link
 * SseCall}).
 */
final class Net {
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
          .build();

  private Net() {}

  record Reply(int status, String body) {}

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Reply send(String method, String url, @Nullable String json, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMinutes(2))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    headers.forEach(b::header);
    HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  static Reply get(String url) throws IOException, InterruptedException {
    return send("GET", url, null, Map.of());
  }

  static Reply post(String url, String json) throws IOException, InterruptedException {
    return send("POST", url, json, Map.of());
  }

  /**
   * Polls {@code url} until it answers 200; the nanoTime of that answer, or -1 when {@code process}
   * died or time ran out.
   */
  static long awaitOk(String url, Process process, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) return -1;
      try {
        HttpRequest r =
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
        if (CLIENT.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200)
          return System.nanoTime();
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
      try {
        Thread.sleep(3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
    return -1;
  }
}

package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Requests answered by Jetty itself (its parser rejects them: 400, 413, 414, 431) and requests
 * answered by the routes are served without starting a platform thread per request. Jetty runs the
 * answer to a rejected request with {@code ThreadPool.executeImmediately}, which starts a new
 * platform thread ({@code jetty-immediate-executor}) when the server's executor can neither try a
 * task nor name a virtual-thread executor: hostile input must not be able to make the server create
 * platform threads (it did, one per rejected request, before HttpApp used Jetty's
 * VirtualThreadPool).
 *
 * <p>The count is the JVM's started platform threads ({@link ThreadMXBean} counts no virtual
 * threads), so no other class runs beside this one (they start platform threads of their own: HTTP
 * clients' selectors, process reapers; 201 in one run beside four other classes). The bound leaves
 * room for the JVM's own and is far below one per request.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Isolated
class RejectedRequestThreadsTest {
  private static final int ROUNDS = 50;

  /** Started platform threads allowed per batch of requests (the JVM's own, meanwhile). */
  private static final long ALLOWANCE = 20;

  @TempDir static Path root;
  static TestServer server;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            root,
            Map.of(
                "GOOSE_AUTH", "tokens", "GOOSE_RATE_LIMIT", "0", "GOOSE_MAX_BODY_BYTES", "1024"));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @Test
  void rejectedRequestsStartNoPlatformThreadEach() throws Exception {
    List<RawHttp.Request> rejected =
        List.of(
            // a control character in the method: 400
            new RawHttp.Request("G\u0001T", ascii("/status"), List.of(), null),
            // a target longer than the request line buffer: 414
            new RawHttp.Request("GET", ascii("/" + "a".repeat(16_000)), List.of(), null),
            // a header far over the header buffer: 431
            new RawHttp.Request(
                "GET", ascii("/status"), List.<String[]>of(new String[] {"X-Big", big()}), null),
            // a body over GOOSE_MAX_BODY_BYTES, declared up front: 413
            new RawHttp.Request(
                "POST",
                ascii("/sessions"),
                List.<String[]>of(new String[] {"Content-Type", "application/json"}),
                new byte[8 * 1024]));
    // Once first, so that what the server starts lazily (on its first request) is not counted.
    List<Integer> firstStatuses = new ArrayList<>();
    for (RawHttp.Request r : rejected) firstStatuses.add(send(r).status());
    assertThat(firstStatuses).allSatisfy(s -> assertThat(s).isBetween(400, 499));

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long before = threads.getTotalStartedThreadCount();
    int sent = 0;
    for (int i = 0; i < ROUNDS; i++) {
      for (RawHttp.Request r : rejected) {
        RawHttp.Response response = send(r);
        assertThat(response.hung()).as("%s answered", r.method()).isFalse();
        assertThat(response.status()).isBetween(400, 499);
        sent++;
      }
    }
    long started = threads.getTotalStartedThreadCount() - before;
    assertThat(started)
        .as("platform threads started while %d rejected requests were answered", sent)
        .isLessThan(ALLOWANCE);

    // The server still answers, and requests the routes serve start no platform thread either.
    before = threads.getTotalStartedThreadCount();
    RawHttp.Request status = new RawHttp.Request("GET", ascii("/status"), List.of(), null);
    for (int i = 0; i < ROUNDS; i++) assertThat(send(status).status()).isEqualTo(200);
    assertThat(threads.getTotalStartedThreadCount() - before)
        .as("platform threads started while %d requests were served", ROUNDS)
        .isLessThan(ALLOWANCE);
  }

  private static RawHttp.Response send(RawHttp.Request request) throws java.io.IOException {
    return RawHttp.send(server.server.port(), request, 15_000);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String big() {
    return "x".repeat(64 * 1024);
  }
}

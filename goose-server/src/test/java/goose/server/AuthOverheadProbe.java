package goose.server;

import goose.user.UserStore;
import goose.user.UserStores;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * What authentication costs a request: median and p99 latency of {@code GET /sessions} (one user, a
 * few sessions) on loopback in none, secret, tokens (a database lookup per request) and proxy mode.
 * Not a test; run its main with the test classpath. Figures are recorded in docs/auth.md.
 */
final class AuthOverheadProbe {
  private static final int WARMUP = 2_000;
  private static final int MEASURED = 5_000;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("auth-probe");
    String secret = "probe-secret-0123456789";
    measure(dir.resolve("none"), Map.of("GOOSE_AUTH", "none"), new String[0]);
    measure(
        dir.resolve("secret"),
        Map.of("GOOSE_SERVER__SECRET_KEY", secret),
        new String[] {"X-Secret-Key", secret});
    measure(
        dir.resolve("proxy"),
        Map.of("GOOSE_AUTH", "proxy", "GOOSE_TRUSTED_PROXIES", "127.0.0.1"),
        new String[] {"X-Remote-User", "alice"});
    measure(dir.resolve("tokens"), Map.of("GOOSE_AUTH", "tokens"), null);
  }

  private static void measure(Path root, Map<String, String> env, String[] headers)
      throws Exception {
    Files.createDirectories(root);
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("GOOSE_RATE_LIMIT", "0");
    all.put("GOOSE_LOG", "warn");
    try (TestServer server = TestServer.start(root, all)) {
      String[] h = headers;
      if (h == null) {
        try (UserStore users = UserStores.open(server.config)) {
          for (int i = 0; i < 1000; i++) users.add("user" + i, false);
          h = new String[] {"Authorization", "Bearer " + users.add("alice", false).token()};
        }
      }
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest.Builder b = HttpRequest.newBuilder(server.server.uri().resolve("/sessions"));
      if (h.length > 0) b.headers(h);
      HttpRequest request = b.build();
      for (int i = 0; i < WARMUP; i++) http.send(request, HttpResponse.BodyHandlers.discarding());
      long[] nanos = new long[MEASURED];
      for (int i = 0; i < MEASURED; i++) {
        long t = System.nanoTime();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        nanos[i] = System.nanoTime() - t;
        if (status != 200) throw new IllegalStateException("status " + status);
      }
      Arrays.sort(nanos);
      System.out.printf(
          "%-7s GET /sessions  median %6.0f us  p99 %6.0f us%n",
          env.getOrDefault("GOOSE_AUTH", "secret"),
          nanos[MEASURED / 2] / 1e3,
          nanos[MEASURED * 99 / 100] / 1e3);
    }
  }
}

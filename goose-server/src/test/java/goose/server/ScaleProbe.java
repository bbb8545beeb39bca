package goose.server;

import goose.json.Json;
import goose.provider.fake.FakeOpenAiServer;
import goose.session.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures goosed end to end over HTTP on SQLite and on PostgreSQL (embedded): the latency of a
 * whole turn (POST a message, read the SSE stream to message_complete; the fake provider answers at
 * once, so this is goosed's own overhead), of the first page of a session list with 2,000 sessions,
 * and on PostgreSQL how much later a client on a second instance sees the end of a turn run on the
 * first. Not a unit test: run it by hand (see docs/scaling.md).
 */
public final class ScaleProbe {
  private static final int TURNS = 200;
  private static final int TURN_WARMUP = 30;
  private static final int SESSIONS = 2_000;
  private static final int LISTS = 500;
  private static final int LIST_WARMUP = 50;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("goose-scale-probe");
    try (FakeOpenAiServer openai = new FakeOpenAiServer();
        TestPostgres postgres = TestPostgres.start()) {
      Map<String, String> env =
          new HashMap<>(
              Map.of(
                  "GOOSE_PROVIDER",
                  "openai",
                  "OPENAI_HOST",
                  openai.baseUri().toString(),
                  "OPENAI_API_KEY",
                  "sk-probe",
                  "GOOSE_LOG_LEVEL",
                  "warn"));
      try (TestServer sqlite = TestServer.start(dir.resolve("sqlite"), env)) {
        probe("SQLite", sqlite, sqlite, openai, dir);
      }
      env.put("GOOSE_DATABASE_URL", postgres.newDatabaseUrl());
      env.put("GOOSE_INSTANCE_ID", "a");
      try (TestServer a = TestServer.start(dir.resolve("pg-a"), env)) {
        env.put("GOOSE_INSTANCE_ID", "b");
        try (TestServer b = TestServer.start(dir.resolve("pg-b"), env)) {
          probe("PostgreSQL", a, b, openai, dir);
        }
      }
    }
  }

  private static void probe(
      String label, TestServer server, TestServer other, FakeOpenAiServer openai, Path dir)
      throws Exception {
    String create = "{\"cwd\":" + Json.write(dir.toString()) + ",\"name\":\"probe\"}";
    double[] turns = new double[TURNS];
    double[] crossEnd = new double[TURNS];
    String session = null;
    for (int i = 0; i < TURN_WARMUP + TURNS; i++) {
      if (i % 10 == 0) session = server.client.post("/sessions", create).json().get("id").asText();
      openai.enqueue(FakeOpenAiServer.text("a short ", "reply"));
      long afterSeq =
          server
              .client
              .get("/sessions/" + session)
              .json()
              .get("message_count")
              .asLong(); // warms the path
      try (SseClient follower =
          SseClient.get(
              other.server.uri(),
              "/sessions/" + session + "/events?after=" + lastSeq(server, session))) {
        long t0 = System.nanoTime();
        try (SseClient sse =
            SseClient.post(
                server.server.uri(),
                "/sessions/" + session + "/messages",
                "{\"content\":\"hi " + afterSeq + "\"}")) {
          sse.untilComplete();
        }
        long ownEnd = System.nanoTime();
        follower.untilComplete();
        long otherEnd = System.nanoTime();
        if (i >= TURN_WARMUP) {
          turns[i - TURN_WARMUP] = (ownEnd - t0) / 1e6;
          crossEnd[i - TURN_WARMUP] = Math.max(0, otherEnd - t0) / 1e6;
        }
      }
    }
    for (int i = 0; i < SESSIONS; i++) server.client.post("/sessions", create);
    double[] lists = new double[LISTS];
    for (int i = 0; i < LIST_WARMUP + LISTS; i++) {
      long t0 = System.nanoTime();
      other.client.get("/sessions?limit=50");
      if (i >= LIST_WARMUP) lists[i - LIST_WARMUP] = (System.nanoTime() - t0) / 1e6;
    }
    System.out.printf("%-10s turn (POST -> message_complete)      %s%n", label, stats(turns));
    if (server != other)
      System.out.printf("%-10s same turn seen ended on instance B    %s%n", label, stats(crossEnd));
    System.out.printf(
        "%-10s GET /sessions?limit=50 (%d sessions) %s%n",
        label, SESSIONS + (TURN_WARMUP + TURNS) / 10, stats(lists));
  }

  private static long lastSeq(TestServer server, String session) {
    // the follower starts after the events already there: count them through the export
    return server.client.get("/sessions/" + session + "/export").json().get("events").size();
  }

  private static String stats(double[] samples) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    List<String> parts = new ArrayList<>();
    parts.add(String.format("p50 %.1f ms", sorted[sorted.length / 2]));
    parts.add(String.format("p95 %.1f ms", sorted[(int) (sorted.length * 0.95)]));
    parts.add(String.format("p99 %.1f ms", sorted[(int) (sorted.length * 0.99)]));
    return String.join(", ", parts);
  }
}

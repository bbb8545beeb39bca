package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.provider.fake.FakeOpenAiServer;
import goose.server.api.Operation;
import goose.server.api.Param;
import goose.user.UserStore;
import goose.user.UserStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of generated hostile requests against every operation of the router, over raw sockets
 * on loopback: path traversal in ids and paths (plain, percent-encoded, double-encoded, NUL), raw
 * invalid UTF-8, malformed and type-confused JSON, oversized strings and bodies, deep nesting,
 * absurd and malformed headers and credentials. Every answer must be a non-5xx; every error the one
 * JSON error shape; nothing may hang; and the server must be healthy afterwards. The generator is
 * seeded, so a failure names a request that can be replayed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HostileInputFuzzTest {
  private static final long SEED = 20261129L;
  private static final int MAX_BODY = 64 * 1024;

  /**
   * Random combinations on top of the systematic requests (about 2,200: every hostile segment,
   * body, header and query value against every operation). They draw from the same lists, so what
   * they add is the mix and the byte mutations of valid bodies: a thousand (seeded) keep both;
   * 2,000 took a quarter more of the class's CPU for more of the same.
   */
  private static final int RANDOM_REQUESTS = 1000;

  @TempDir static Path root;
  static FakeOpenAiServer openai;
  static TestServer server;
  static String token;
  static String session;

  @BeforeAll
  static void start() {
    openai = new FakeOpenAiServer();
    server =
        TestServer.start(
            root,
            Map.of(
                "GOOSE_AUTH",
                "tokens",
                "GOOSE_PROVIDER",
                "openai",
                "OPENAI_HOST",
                openai.baseUri().toString(),
                "OPENAI_API_KEY",
                "sk-test",
                "max_retries",
                "0",
                "GOOSE_RATE_LIMIT",
                "0",
                "GOOSE_MAX_TURNS_PER_USER",
                "1000",
                "GOOSE_MAX_BODY_BYTES",
                String.valueOf(MAX_BODY)));
    try (UserStore users = UserStores.open(server.config)) {
      token = users.add("fuzzer", true).token();
    }
    session =
        Json.parse(
                Exchange.send(
                        server.server.uri(),
                        "POST",
                        "/sessions",
                        "{\"cwd\":\"" + root + "\",\"name\":\"fuzz\"}",
                        "Authorization",
                        "Bearer " + token)
                    .body())
            .get("id")
            .asText();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (openai != null) openai.close();
  }

  @Test
  void thousandsOfHostileRequestsGetCleanFourHundredsAndTheServerStaysHealthy() throws Exception {
    Random random = new Random(SEED);
    List<RawHttp.Request> requests = new ArrayList<>();
    List<Operation> operations = ServerRoutes.router().operations();
    for (Operation op : operations) requests.addAll(systematic(op));
    for (int i = 0; i < RANDOM_REQUESTS; i++)
      requests.add(randomRequest(operations.get(random.nextInt(operations.size())), random));
    Collections.shuffle(requests, random);
    assertThat(requests.size()).isGreaterThan(3000);

    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger sent = new AtomicInteger();
    Semaphore inFlight = new Semaphore(8);
    // Leaves the checks after the storm time within the class's 300 s; a run beside other test
    // classes on a loaded 2-core machine took 218 s in all.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(260);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (RawHttp.Request r : requests) {
        if (System.nanoTime() > deadline) break;
        inFlight.acquire();
        pool.execute(
            () -> {
              try {
                check(r, RawHttp.send(server.server.port(), r, 15_000)).ifPresent(failures::add);
                sent.incrementAndGet();
              } catch (Exception e) {
                failures.add(describe(r) + " -> " + e);
              } finally {
                inFlight.release();
              }
            });
      }
    }
    assertThat(failures).as("hostile requests answered wrongly (of %d sent)", sent.get()).isEmpty();
    assertThat(sent.get())
        .as("all requests were sent before the deadline")
        .isEqualTo(requests.size());

    assertThat(Exchange.send(server.server.uri(), "GET", "/status", null).status()).isEqualTo(200);
    Exchange created =
        Exchange.send(
            server.server.uri(),
            "POST",
            "/sessions",
            "{\"cwd\":\"" + root + "\",\"name\":\"after the storm\"}",
            "Authorization",
            "Bearer " + token);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Exchange list =
        Exchange.send(
            server.server.uri(),
            "GET",
            "/sessions?q=after%20the%20storm",
            null,
            "Authorization",
            "Bearer " + token);
    assertThat(Json.parse(list.body()).get("sessions")).hasSize(1);
    String id = Json.parse(created.body()).get("id").asText();
    assertThat(
            Exchange.send(
                    server.server.uri(),
                    "GET",
                    "/sessions/" + id,
                    null,
                    "Authorization",
                    "Bearer " + token)
                .status())
        .isEqualTo(200);
    System.out.println(
        "fuzz: " + sent.get() + " requests, statuses " + new java.util.TreeMap<>(statuses));
  }

  /** Empty when the response is acceptable, else what was wrong. */
  private static final Map<Integer, AtomicInteger> statuses =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static java.util.Optional<String> check(RawHttp.Request r, RawHttp.Response response) {
    statuses.computeIfAbsent(response.status(), k -> new AtomicInteger()).incrementAndGet();
    String what =
        describe(r)
            + " -> "
            + response.status()
            + " "
            + goose.server.http.Sanitize.shortText(response.body(), 200);
    if (response.hung()) return java.util.Optional.of("HANG " + what);
    if (response.status() >= 500 || response.status() < 100)
      return java.util.Optional.of("BAD STATUS " + what);
    if (response.stream()) return java.util.Optional.empty();
    String target = new String(r.target(), StandardCharsets.ISO_8859_1);
    if (response.status() >= 400
        && !isErrorShape(response.body())
        && !(target.startsWith("/acp") && isJsonRpcError(response.body())))
      return java.util.Optional.of("NOT THE ERROR SHAPE " + what);
    if (target.startsWith("/docs/")
        && response.status() == 200
        && !List.of("/docs/swagger-ui.css", "/docs/index.css").contains(target)) {
      return java.util.Optional.of("SERVED A FILE " + what);
    }
    return java.util.Optional.empty();
  }

  private static boolean isErrorShape(String body) {
    try {
      JsonNode json = Json.parse(body);
      JsonNode error = json.path("error");
      return json.size() == 1
          && error.size() == 2
          && error.path("code").isTextual()
          && error.path("message").isTextual();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** /acp answers a batch or a failed initialize with the JSON-RPC error its client speaks. */
  private static boolean isJsonRpcError(String body) {
    try {
      JsonNode json = Json.parse(body);
      return json.path("jsonrpc").asText().equals("2.0")
          && json.has("id")
          && json.at("/error/code").isInt()
          && json.at("/error/message").isTextual();
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ---- generation
  // -------------------------------------------------------------------------------------

  private static final List<String> HOSTILE_SEGMENTS =
      List.of(
          "..",
          ".",
          "../../etc/passwd",
          "..%2F..%2Fetc%2Fpasswd",
          "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
          "%2e%2e",
          "%252e%252e%252f",
          "..%5c..%5cwindows",
          "%00",
          "a%00b",
          "%0d%0aX-Injected:%201",
          "%ff%fe",
          "%c0%ae%c0%ae%c0%af",
          "%e2%80%ae",
          "x".repeat(5000),
          "'%20OR%201=1--",
          "%22%3E%3Cscript%3E",
          "~root",
          "%",
          "%zz",
          "0190f0e0-0000-7000-8000-000000000000",
          "%20",
          "CON",
          "a;b",
          "*");

  private static final List<byte[]> HOSTILE_BODIES = hostileBodies();

  private static List<byte[]> hostileBodies() {
    List<String> texts =
        new ArrayList<>(
            List.of(
                "",
                " ",
                "{",
                "}",
                "[",
                "]",
                "null",
                "true",
                "0",
                "-1",
                "1e999999",
                "\"text\"",
                "[]",
                "{}",
                "{\"a\":}",
                "{,}",
                "{\"cwd\":\"/tmp\"}}",
                "{'cwd': '/tmp'}",
                "{\"cwd\":\"/tmp\" \"name\":\"x\"}",
                "{\"cwd\":\"\\u0000\"}",
                "{\"cwd\":\"/tmp\\u0000/x\"}",
                "{\"name\":\"\\u0000\"}",
                "{\"content\":\"\\u0000\"}",
                "{\"content\":\"\\ud800\"}",
                "{\"cwd\":\"\\ud800\"}",
                "{\"cwd\":\"/tmp/../../../../etc\"}",
                "{\"cwd\":\"../../etc\"}",
                "{\"cwd\":\"/" + "a/".repeat(3000) + "\"}",
                "{\"name\":\"" + "n".repeat(20_000) + "\"}",
                "{\"content\":\"" + "c".repeat(40_000) + "\"}",
                "{\"cwd\":\"/tmp\",\"cwd\":\"/etc\"}",
                "\ufeff{\"cwd\":\"/tmp\"}",
                "{\"content\":[{\"type\":\"nope\"}]}",
                "{\"content\":[{\"type\":\"text\"}]}",
                "{\"content\":[{\"type\":\"image\",\"data\":\"!!!\",\"mime_type\":\"x/y\"}]}",
                "{\"content\":[]}",
                "{\"content\":{}}",
                "{\"content\":123}",
                "{\"request_id\":\"" + "r".repeat(500) + "\",\"content\":\"x\"}",
                "{\"on_disconnect\":\"explode\",\"content\":\"x\"}",
                "{\"name\":\"x\",\"type\":\"stdio\",\"cmd\":\"/bin/sh\",\"envs\":{\"LD_PRELOAD\":\"/x\"}}",
                "{\"name\":\"../../etc\",\"type\":\"builtin\"}",
                "{\"name\":\"x\",\"type\":\"streamable_http\",\"uri\":\"file:///etc/passwd\"}",
                "{\"name\":\"x\",\"type\":\"sse\",\"uri\":\"http://[::1\"}",
                "{\"name\":123,\"type\":[]}",
                "{\"timeout\":-5,\"name\":\"x\",\"type\":\"builtin\"}",
                "{\"cwd\":1}",
                "{\"cwd\":true}",
                "{\"cwd\":[]}",
                "{\"cwd\":{}}",
                "{\"cwd\":null}",
                "{\"name\":1.5}",
                "{\"name\":[\"a\"]}",
                "{\"cwd\":\"/tmp\",\"name\":99999999999999999999999999999}",
                "{\"a\":" + "1".repeat(5000) + "}"));
    texts.add("[".repeat(50_000));
    texts.add("{\"a\":".repeat(20_000));
    texts.add("{\"x\":\"" + "y".repeat(MAX_BODY) + "\"}");
    List<byte[]> bodies = new ArrayList<>();
    texts.forEach(t -> bodies.add(t.getBytes(StandardCharsets.UTF_8)));
    bodies.add(
        new byte[] {'{', '"', 'c', 'w', 'd', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'});
    bodies.add(
        new byte[] {
          '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'
        });
    bodies.add(
        new byte[] {
          '{',
          '"',
          'c',
          'o',
          'n',
          't',
          'e',
          'n',
          't',
          '"',
          ':',
          '"',
          (byte) 0xed,
          (byte) 0xa0,
          (byte) 0x80,
          '"',
          '}'
        });
    bodies.add(new byte[] {(byte) 0x80, (byte) 0x81, 0, 0, 1});
    bodies.add("{\"cwd\":\"/tmp\"}".getBytes(StandardCharsets.UTF_16));
    return bodies;
  }

  private static final List<String[]> HOSTILE_HEADERS =
      List.of(
          new String[] {"Authorization", "Bearer " + "A".repeat(10_000)},
          new String[] {"Authorization", "Bearer"},
          new String[] {"Authorization", "Basic Zm9vOmJhcg=="},
          new String[] {"Authorization", "Bearer goose_\u00ff\u00fe"},
          new String[] {"Authorization", "Bearer ../../etc"},
          new String[] {"X-Secret-Key", "x".repeat(4000)},
          new String[] {"X-Remote-User", "root"},
          new String[] {"Content-Type", "text/plain"},
          new String[] {"Content-Type", "application/json; charset=utf-16"},
          new String[] {"Content-Type", "application/json\u0001"},
          new String[] {"Content-Type", "multipart/form-data; boundary=x"},
          new String[] {"Accept", "text/event-stream;q=0"},
          new String[] {"Accept", "*/*".repeat(2000)},
          new String[] {"Last-Event-ID", "-1"},
          new String[] {"Last-Event-ID", "99999999999999999999999"},
          new String[] {"Last-Event-ID", "abc\u00e9"},
          new String[] {"X-Request-Id", "\u00ff\u0000x"},
          new String[] {"Origin", "null"},
          new String[] {"Origin", "https://evil.example"},
          new String[] {"X-Big", "b".repeat(64_000)},
          new String[] {"Transfer-Encoding", "gzip"},
          new String[] {"Content-Encoding", "gzip"},
          new String[] {"Expect", "100-continue"},
          new String[] {"Bad Header", "x"},
          new String[] {"", "empty name"});

  private static List<RawHttp.Request> systematic(Operation op) {
    List<RawHttp.Request> out = new ArrayList<>();
    for (String segment : HOSTILE_SEGMENTS) {
      if (hasPathParams(op)) out.add(request(op, path(op, segment), validBody(op), List.of()));
    }
    out.add(
        request(
            op,
            rawTarget(path(op, null), new byte[] {'/', (byte) 0xff, (byte) 0xc3, '(', '/'}),
            validBody(op),
            List.of()));
    out.add(
        request(op, rawTarget(path(op, null), new byte[] {'/', 0x00}), validBody(op), List.of()));
    for (Param<?> p : op.params()) {
      if (p.in() != Param.In.QUERY) continue;
      for (String v :
          List.of(
              "-1",
              "0",
              "99999999999999999999",
              "abc",
              "%00",
              "%ff",
              "1.5",
              "x".repeat(3000),
              "%2e%2e%2f",
              "[]",
              "1e3")) {
        out.add(request(op, path(op, null) + "?" + p.name() + "=" + v, validBody(op), List.of()));
      }
      out.add(
          request(
              op,
              path(op, null) + "?" + p.name() + "=1&" + p.name() + "=2&" + p.name(),
              validBody(op),
              List.of()));
    }
    if (op.requestBody().isPresent() || !op.method().equals("GET")) {
      for (byte[] body : HOSTILE_BODIES) out.add(request(op, path(op, null), body, List.of()));
    }
    for (String[] header : HOSTILE_HEADERS)
      out.add(request(op, path(op, null), validBody(op), List.<String[]>of(header)));
    return out;
  }

  private static RawHttp.Request randomRequest(Operation op, Random random) {
    String path =
        path(
            op,
            hasPathParams(op) && random.nextBoolean()
                ? HOSTILE_SEGMENTS.get(random.nextInt(HOSTILE_SEGMENTS.size()))
                : null);
    byte[] body = validBody(op);
    if (body != null || random.nextInt(4) == 0) {
      body =
          random.nextBoolean()
              ? mutate(body == null ? "{}".getBytes(StandardCharsets.UTF_8) : body, random)
              : HOSTILE_BODIES.get(random.nextInt(HOSTILE_BODIES.size()));
    }
    List<String[]> headers =
        random.nextInt(3) == 0
            ? List.<String[]>of(HOSTILE_HEADERS.get(random.nextInt(HOSTILE_HEADERS.size())))
            : List.<String[]>of();
    return request(op, path, body, headers);
  }

  /** A valid body with a few random bytes flipped, inserted or removed. */
  private static byte[] mutate(byte[] body, Random random) {
    List<Byte> bytes = new ArrayList<>();
    for (byte b : body) bytes.add(b);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int at = bytes.isEmpty() ? 0 : random.nextInt(bytes.size());
      switch (random.nextInt(3)) {
        case 0 -> {
          if (!bytes.isEmpty()) bytes.set(at, (byte) random.nextInt(256));
        }
        case 1 -> bytes.add(at, (byte) random.nextInt(256));
        default -> {
          if (!bytes.isEmpty()) bytes.remove(at);
        }
      }
    }
    byte[] out = new byte[bytes.size()];
    for (int i = 0; i < out.length; i++) out[i] = bytes.get(i);
    return out;
  }

  private static boolean hasPathParams(Operation op) {
    return op.params().stream().anyMatch(p -> p.in() == Param.In.PATH);
  }

  /**
   * The operation's path with its parameters filled: {@code hostile} when given, else a valid
   * value.
   */
  private static String path(Operation op, String hostile) {
    String path = op.path();
    for (Param<?> p : op.params()) {
      if (p.in() != Param.In.PATH) continue;
      String valid =
          switch (p.name()) {
            case "id" -> session;
            case "name" -> "todo";
            case "asset" -> "index.css";
            default -> "x";
          };
      path = path.replace("{" + p.name() + "}", hostile == null ? valid : hostile);
    }
    return path;
  }

  private static byte[] validBody(Operation op) {
    if (op.requestBody().isEmpty()) return null;
    String json =
        switch (op.operationId()) {
          case "createSession" -> "{\"cwd\":\"" + root + "\",\"name\":\"fuzz\"}";
          case "updateSession" -> "{\"name\":\"fuzzed\"}";
          case "sendMessage" -> "{\"content\":\"hello\"}";
          case "putExtension" ->
              "{\"name\":\"fuzz-ext\",\"type\":\"stdio\",\"cmd\":\"/bin/true\",\"enabled\":false}";
          default -> "{}";
        };
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static RawHttp.Request request(
      Operation op, String target, byte[] body, List<String[]> extra) {
    return request(op, target.getBytes(StandardCharsets.UTF_8), body, extra);
  }

  private static RawHttp.Request request(
      Operation op, byte[] target, byte[] body, List<String[]> extra) {
    List<String[]> headers = new ArrayList<>();
    boolean overridesAuth = extra.stream().anyMatch(h -> h[0].equalsIgnoreCase("Authorization"));
    if (!overridesAuth) headers.add(new String[] {"Authorization", "Bearer " + token});
    boolean overridesType = extra.stream().anyMatch(h -> h[0].equalsIgnoreCase("Content-Type"));
    if (body != null && !overridesType)
      headers.add(new String[] {"Content-Type", "application/json"});
    headers.addAll(extra);
    return new RawHttp.Request(op.method(), target, headers, body);
  }

  private static byte[] rawTarget(String prefix, byte[] suffix) {
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(p, p.length + suffix.length);
    System.arraycopy(suffix, 0, out, p.length, suffix.length);
    return out;
  }

  private static String describe(RawHttp.Request r) {
    String headers =
        r.headers().stream()
            .filter(h -> !h[0].equals("Authorization") || !h[1].equals("Bearer " + token))
            .map(h -> h[0] + ": " + goose.server.http.Sanitize.shortText(h[1], 40))
            .toList()
            .toString();
    String body =
        r.body() == null
            ? "-"
            : goose.server.http.Sanitize.shortText(
                new String(r.body(), StandardCharsets.UTF_8), 80);
    return r.method()
        + " "
        + goose.server.http.Sanitize.shortText(
            new String(r.target(), StandardCharsets.ISO_8859_1), 100)
        + " "
        + headers
        + " "
        + body;
  }
}

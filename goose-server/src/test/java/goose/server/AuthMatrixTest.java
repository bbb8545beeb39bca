package goose.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.ids.Ids;
import goose.provider.fake.FakeOpenAiServer;
import goose.server.api.Access;
import goose.server.api.Operation;
import goose.server.api.Param;
import goose.user.UserStore;
import goose.user.UserStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every route of the router x {no credentials, wrong credentials, another user's credentials, right
 * credentials}, in every auth mode, against a real server. Alice owns a session with a conversation
 * and events; whatever anyone else sends, no response may contain anything of hers, and her session
 * id must answer exactly like an id that never existed. A route added later is covered
 * automatically (generic request), so the matrix cannot silently fall behind the API.
 */
@Timeout(300)
// Reads the log of a server started in this JVM: logback is one per JVM, and every in-process
// server start resets it, so no other class runs beside this one.
@Isolated
class AuthMatrixTest {
  enum Mode {
    NONE,
    SECRET,
    TOKENS,
    PROXY
  }

  private static final String SECRET = "matrix-secret-" + UUID.randomUUID();
  @TempDir Path root;
  private FakeOpenAiServer openai;
  private TestServer server;
  private final String marker = "alice-private-" + UUID.randomUUID();
  private final Map<String, String[]> creds = new HashMap<>();

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (openai != null) openai.close();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyRouteAnswersEachKindOfCredentialsAndNothingOfAliceLeaks(Mode mode) throws Exception {
    start(mode);
    String seeded = seedAliceSession();
    List<String> problems = new ArrayList<>();
    for (Operation op : ServerRoutes.router().operations()) {
      checkOperation(mode, op, seeded, problems);
    }
    assertThat(problems).as("matrix failures in mode " + mode).isEmpty();
    assertThat(logs())
        .as("no credential is ever logged")
        .isNotBlank()
        .doesNotContain(SECRET)
        .doesNotContain(credential("alice"))
        .doesNotContain(credential("root"))
        .doesNotContain(credential("wrong"));

    if (mode == Mode.TOKENS || mode == Mode.PROXY) {
      Exchange bobsList = call("GET", "/sessions?limit=200", null, creds.get("bob"));
      assertThat(bobsList.status()).isEqualTo(200);
      assertThat(bobsList.body()).doesNotContain(seeded).doesNotContain(marker);
      Exchange alicesList = call("GET", "/sessions?limit=200", null, creds.get("alice"));
      assertThat(alicesList.body()).as("positive control").contains(seeded).contains(marker);
      Exchange alicesEvents =
          call("GET", "/sessions/" + seeded + "/events", null, creds.get("alice"));
      assertThat(alicesEvents.body()).as("positive control").contains(marker);
    }
  }

  private void start(Mode mode) throws Exception {
    openai = new FakeOpenAiServer();
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "GOOSE_PROVIDER",
                "openai",
                "OPENAI_HOST",
                openai.baseUri().toString(),
                "OPENAI_API_KEY",
                "sk-test",
                "GOOSE_RATE_LIMIT",
                "0",
                "GOOSE_MAX_TURNS_PER_USER",
                "100"));
    switch (mode) {
      case NONE -> env.put("GOOSE_AUTH", "none");
      case SECRET ->
          env.put(
              "GOOSE_SERVER__SECRET_KEY",
              SECRET); // GOOSE_AUTH unset: a secret implies secret mode (goose-compatible)
      case TOKENS -> env.put("GOOSE_AUTH", "tokens");
      case PROXY ->
          env.putAll(
              Map.of(
                  "GOOSE_AUTH",
                  "proxy",
                  "GOOSE_TRUSTED_PROXIES",
                  "10.0.0.0/8, 127.0.0.1",
                  "GOOSE_ADMIN_USERS",
                  "root"));
    }
    server = TestServer.start(root, env);
    switch (mode) {
      case NONE -> {
        for (String who : List.of("alice", "root", "none", "wrong")) creds.put(who, new String[0]);
      }
      case SECRET -> {
        creds.put("alice", new String[] {"X-Secret-Key", SECRET});
        creds.put("root", creds.get("alice"));
        creds.put("wrong", new String[] {"X-Secret-Key", SECRET + "x"});
        creds.put("none", new String[0]);
      }
      case TOKENS -> {
        try (UserStore users = UserStores.open(server.config)) {
          for (String name : List.of("alice", "bob"))
            creds.put(name, bearer(users.add(name, false).token()));
          creds.put("root", bearer(users.add("root", true).token()));
        }
        creds.put("wrong", bearer("goose_" + "A".repeat(43)));
        creds.put("none", new String[0]);
      }
      case PROXY -> {
        for (String name : List.of("alice", "bob", "root"))
          creds.put(name, new String[] {"X-Remote-User", name});
        creds.put("wrong", new String[] {"X-Remote-User", "../../etc/passwd"});
        creds.put("none", new String[0]);
      }
    }
  }

  /**
   * The secret part of a user's credentials (token or secret; a proxy user's name is not secret).
   */
  private String credential(String who) {
    String[] h = creds.get(who);
    if (h.length == 0 || h[0].equals("X-Remote-User")) return "\u0000never";
    return h[1].replace("Bearer ", "");
  }

  private String logs() throws java.io.IOException {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(server.config.paths().logsDir())) {
      for (Path f : files.toList()) all.append(Files.readString(f));
    }
    return all.toString();
  }

  private static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }

  /**
   * Alice's session with one finished turn: her words and the model's reply both carry the marker.
   */
  private String seedAliceSession() throws Exception {
    String id = createSession("alice", marker);
    openai.enqueue(FakeOpenAiServer.text("reply for ", marker));
    Exchange sent =
        call(
            "POST",
            "/sessions/" + id + "/messages",
            "{\"content\":\"hello " + marker + "\"}",
            with(creds.get("alice"), "Accept", "text/event-stream"));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(sent.body()).contains("message_complete").contains(marker);
    return id;
  }

  private String createSession(String who, String name) throws Exception {
    Path cwd = Files.createDirectories(root.resolve("ws-" + name));
    Exchange created =
        call(
            "POST",
            "/sessions",
            "{\"cwd\":\"" + cwd + "\",\"name\":\"" + name + "\"}",
            creds.get(who));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return goose.json.Json.parse(created.body()).get("id").asText();
  }

  private void checkOperation(Mode mode, Operation op, String seeded, List<String> problems)
      throws Exception {
    boolean hasId =
        op.params().stream().anyMatch(p -> p.in() == Param.In.PATH && p.name().equals("id"));
    String target =
        hasId && !op.method().equals("GET")
            ? createSession("alice", "target-" + UUID.randomUUID())
            : seeded;
    String label = mode + " " + op.method() + " " + op.path();
    String rightUser = op.access() == Access.ADMIN ? "root" : "alice";

    if (op.access() == Access.PUBLIC) {
      for (String who : List.of("none", "wrong", "alice")) {
        Exchange r = request(op, target, who);
        expect(problems, label + " as " + who, r.status() >= 200 && r.status() < 300, r);
      }
      return;
    }
    if (mode != Mode.NONE) {
      for (String who : List.of("none", "wrong")) {
        Exchange r = request(op, target, who);
        expect(
            problems,
            label + " as " + who + ": 401 JSON",
            r.status() == 401 && r.isJsonError("unauthorized"),
            r);
        if (mode == Mode.TOKENS)
          expect(
              problems,
              label + " WWW-Authenticate",
              String.valueOf(r.header("WWW-Authenticate")).startsWith("Bearer realm="),
              r);
        expect(problems, label + " as " + who + " leaks", !leaks(r, seeded), r);
      }
    }
    if (mode == Mode.TOKENS || mode == Mode.PROXY)
      checkOtherUser(op, target, hasId, label, problems);
    prepare(op, rightUser);
    Exchange right = request(op, target, rightUser);
    int expected = expectedStatus(op);
    boolean ok =
        expected > 0
            ? right.status() == expected
            : right.status() < 500 && right.status() != 401 && right.status() != 403;
    expect(
        problems,
        label
            + " as "
            + rightUser
            + " (expected "
            + (expected > 0 ? expected : "not 401/403/5xx")
            + ")",
        ok,
        right);
    if (op.operationId().equals("sendMessage")) awaitIdle(target);
  }

  private void checkOtherUser(
      Operation op, String target, boolean hasId, String label, List<String> problems)
      throws Exception {
    prepare(op, "root");
    Exchange bob = request(op, target, "bob");
    expect(problems, label + " as bob leaks", !leaks(bob, target), bob);
    if (op.access() == Access.ADMIN) {
      expect(
          problems,
          label + " as bob: 403",
          bob.status() == 403 && bob.isJsonError("forbidden"),
          bob);
      return;
    }
    if (!hasId) {
      expect(problems, label + " as bob", bob.status() < 500 && bob.status() != 401, bob);
      return;
    }
    String missing = Ids.newId();
    Exchange absent = request(op, missing, "bob");
    expect(
        problems,
        label + " as bob: same as a missing id",
        bob.status() == absent.status()
            && bob.body().replace(target, "<id>").equals(absent.body().replace(missing, "<id>")),
        bob);
    expect(
        problems, label + " as bob: 404", bob.status() == 404 && bob.isJsonError("not_found"), bob);
    Exchange stillThere = call("GET", "/sessions/" + target, null, creds.get("alice"));
    expect(
        problems,
        label + " as bob left alice's session alone",
        stillThere.status() == 200 && !stillThere.body().contains("\"name\":\"renamed\""),
        stillThere);
  }

  /**
   * Extension routes act on the built-in todo extension, made sure to be configured and enabled
   * first; delete acts on a (never started) stdio extension, since built-ins cannot be deleted.
   */
  private void prepare(Operation op, String who) {
    if (op.path().startsWith("/extensions/")) {
      String body =
          op.operationId().equals("deleteExtension")
              ? "{\"name\":\"matrix-ext\",\"type\":\"stdio\",\"cmd\":\"/bin/true\",\"enabled\":false}"
              : "{\"name\":\"todo\",\"type\":\"builtin\",\"enabled\":true}";
      Exchange put = call("POST", "/extensions", body, creds.get("root"));
      assertThat(put.status()).as(put.body()).isEqualTo(200);
    }
    if (op.operationId().equals("sendMessage") && !who.equals("bob"))
      openai.enqueue(FakeOpenAiServer.text("ok"));
  }

  private Exchange request(Operation op, String sessionId, String who) {
    String path = op.path();
    for (Param<?> p : op.params()) {
      if (p.in() != Param.In.PATH) continue;
      String value =
          switch (p.name()) {
            case "id" -> sessionId;
            case "name" -> op.operationId().equals("deleteExtension") ? "matrix-ext" : "todo";
            case "asset" -> op.operationId().equals("getWebUiAsset") ? "app.js" : "swagger-ui.css";
            default -> "x";
          };
      path = path.replace("{" + p.name() + "}", value);
    }
    String body =
        op.requestBody().isEmpty()
            ? null
            : switch (op.operationId()) {
              case "createSession" -> "{\"cwd\":\"" + root + "\",\"name\":\"matrix\"}";
              case "updateSession" -> "{\"name\":\"renamed\"}";
              case "sendMessage" -> "{\"content\":\"hi\"}";
              case "putExtension" -> "{\"name\":\"todo\",\"type\":\"builtin\"}";
              case "answerToolApproval" -> "{\"decision\":\"deny\"}";
              default -> "{}";
            };
    String[] headers = creds.get(who);
    if (op.operationId().equals("sendMessage"))
      headers = with(headers, "Accept", "application/json");
    return call(op.method(), path, body, headers);
  }

  /**
   * The status a right request gets for the routes known here; 0 for routes added later (checked
   * generically).
   */
  private static int expectedStatus(Operation op) {
    return switch (op.operationId()) {
      case "createSession" -> 201;
      case "deleteSession", "deleteExtension" -> 204;
      case "sendMessage" -> 202;
      case "getStatus",
          "listSessions",
          "getSession",
          "listSessionMessages",
          "updateSession",
          "followSessionEvents",
          "cancelTurn",
          "listExtensions",
          "putExtension",
          "enableExtension",
          "disableExtension",
          "listExtensionTools" ->
          200;
      default -> 0;
    };
  }

  private boolean leaks(Exchange r, String aliceSession) {
    return r.body().contains(marker)
        || r.body().contains("ws-alice")
        || (r.status() < 300 && r.body().contains(aliceSession));
  }

  private void awaitIdle(String sessionId) {
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                call("GET", "/sessions/" + sessionId + "/events", null, creds.get("alice"))
                    .body()
                    .contains("message_complete"));
  }

  private Exchange call(String method, String path, String body, String[] headers) {
    Exchange r = Exchange.send(server.server.uri(), method, path, body, headers);
    if (!String.valueOf(r.header("Content-Type")).startsWith("text/event-stream")) {
      SpecCheck.check(
          method,
          java.net.URI.create(path).getPath(),
          new ApiClient.Response(r.status(), r.headers(), r.body()));
    }
    return r;
  }

  private static String[] with(String[] headers, String name, String value) {
    String[] out = java.util.Arrays.copyOf(headers, headers.length + 2);
    out[headers.length] = name;
    out[headers.length + 1] = value;
    return out;
  }

  private static void expect(List<String> problems, String what, boolean ok, Exchange r) {
    if (!ok)
      problems.add(
          what + " -> " + r.status() + " " + goose.server.http.Sanitize.shortText(r.body(), 300));
  }
}

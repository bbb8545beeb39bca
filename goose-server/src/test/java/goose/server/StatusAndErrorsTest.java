package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /status, request ids, and every error the server answers with its one JSON error shape. */
class StatusAndErrorsTest {
  @TempDir static Path root;
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start(root, java.util.Map.of("GOOSE_MAX_BODY_BYTES", "1000"));
    api = server.client;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void statusAnswersOkWithTheBuildVersion() {
    ApiClient.Response r = api.get("/status");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("ok");
    assertThat(r.json().path("version").asText()).isNotBlank().isNotEqualTo("unknown");
  }

  @Test
  void aSaneRequestIdIsEchoedAndAnInsaneOneReplaced() {
    ApiClient.Response echoed =
        api.send(
            "GET", "/status", HttpRequest.BodyPublishers.noBody(), null, "X-Request-Id", "abc-123");
    assertThat(echoed.header("X-Request-Id")).isEqualTo("abc-123");
    ApiClient.Response replaced =
        api.send(
            "GET",
            "/status",
            HttpRequest.BodyPublishers.noBody(),
            null,
            "X-Request-Id",
            "x".repeat(300));
    assertThat(replaced.header("X-Request-Id")).hasSize(36).isNotEqualTo("x".repeat(300));
    assertThat(api.get("/status").header("X-Request-Id")).hasSize(36);
  }

  @Test
  void unknownRouteIsAJson404() {
    ApiClient.Response nope = api.get("/nope");
    assertThat(nope.error(404, "not_found")).isEqualTo("no route for GET /nope");
    assertThat(nope.header("X-Request-Id")).hasSize(36);
    assertThat(nope.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(api.get("/sessions/a/b/c").error(404, "not_found")).isNotBlank();
  }

  @Test
  void wrongMethodOnAKnownPathIsAJson405() {
    assertThat(
            api.send("PUT", "/status", HttpRequest.BodyPublishers.noBody(), null)
                .error(405, "method_not_allowed"))
        .contains("PUT");
    api.delete("/sessions").error(405, "method_not_allowed");
  }

  @Test
  void unknownAndMalformedSessionIdsAreTheSame404() {
    assertThat(api.get("/sessions/0190f0e0-0000-7000-8000-000000000000").error(404, "not_found"))
        .isEqualTo("session 0190f0e0-0000-7000-8000-000000000000 not found");
    assertThat(api.get("/sessions/..%2F..%2Fetc").error(404, "not_found")).startsWith("session ");
    assertThat(api.get("/sessions/1%20OR%201=1/messages").error(404, "not_found"))
        .startsWith("session ");
    api.patch("/sessions/xyz", "{\"name\":\"n\"}").error(404, "not_found");
    api.delete("/sessions/xyz").error(404, "not_found");
  }

  @Test
  void malformedJsonIs400() {
    assertThat(api.post("/sessions", "{\"cwd\": ").error(400, "invalid_json"))
        .startsWith("malformed JSON");
    assertThat(api.post("/sessions", "").error(400, "invalid_json")).contains("empty");
    assertThat(api.post("/sessions", "[1,2]").error(400, "invalid_json")).contains("object");
    assertThat(api.post("/sessions", "null").error(400, "invalid_json")).contains("null");
    assertThat(api.post("/sessions", "{\"cwd\": \"/tmp\"} trailing").error(400, "invalid_json"))
        .isNotBlank();
  }

  @Test
  void wrongFieldTypesAndMissingFieldsNameTheField() {
    assertThat(api.post("/sessions", "{\"cwd\": 42}").error(400, "invalid_field"))
        .contains("'cwd'")
        .contains("string");
    assertThat(
            api.post("/sessions", "{\"cwd\": \"/tmp\", \"name\": {}}").error(400, "invalid_field"))
        .contains("'name'");
    assertThat(api.post("/sessions", "{\"name\": \"x\"}").error(400, "invalid_field"))
        .isEqualTo("field 'cwd' is required");
    assertThat(api.post("/sessions", "{\"cwd\": null}").error(400, "invalid_field"))
        .isEqualTo("field 'cwd' is required");
  }

  @Test
  void nonJsonContentTypeIs415() {
    ApiClient.Response form =
        api.send(
            "POST",
            "/sessions",
            HttpRequest.BodyPublishers.ofString("cwd=/tmp"),
            "application/x-www-form-urlencoded");
    assertThat(form.error(415, "unsupported_media_type")).contains("application/json");
    api.send("POST", "/sessions", HttpRequest.BodyPublishers.ofString("{}"), null)
        .error(415, "unsupported_media_type");
    ApiClient.Response withCharset =
        api.send(
            "POST",
            "/sessions",
            HttpRequest.BodyPublishers.ofString("{\"cwd\": 1}"),
            "application/json; charset=utf-8");
    withCharset.error(400, "invalid_field");
  }

  @Test
  void bodyLargerThanTheLimitIs413() {
    String big = "{\"cwd\": \"/tmp\", \"name\": \"" + "x".repeat(2000) + "\"}";
    assertThat(api.post("/sessions", big).error(413, "payload_too_large")).contains("1000 bytes");
  }

  @Test
  void chunkedBodyLargerThanTheLimitIs413() throws IOException {
    String chunk = "x".repeat(600);
    String request =
        "POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + Integer.toHexString(chunk.length())
            + "\r\n"
            + chunk
            + "\r\n"
            + Integer.toHexString(chunk.length())
            + "\r\n"
            + chunk
            + "\r\n0\r\n\r\n";
    String response = raw(request);
    assertThat(response).startsWith("HTTP/1.1 413").contains("\"payload_too_large\"");
  }

  @Test
  void badQueryParametersAre400NamingTheParameter() {
    assertThat(api.get("/sessions?limit=abc").error(400, "invalid_parameter")).contains("'limit'");
    assertThat(api.get("/sessions?limit=0").error(400, "invalid_parameter")).contains("'limit'");
    assertThat(api.get("/sessions?limit=100000").error(400, "invalid_parameter"))
        .contains("'limit'");
    assertThat(api.get("/sessions?cursor=garbage").error(400, "invalid_parameter"))
        .contains("'cursor'");
    assertThat(api.get("/sessions?q=" + "a".repeat(201)).error(400, "invalid_parameter"))
        .contains("'q'");
  }

  @Test
  void requestsJettyRejectsBeforeRoutingAreJsonNamingTheProblem() throws IOException {
    String response =
        raw("GET /sessions/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400").contains("application/json");
    assertThat(errorOf(response).path("code").asText()).isEqualTo("invalid_parameter");
    assertThat(errorOf(response).path("message").asText())
        .isEqualTo("Bad Request: a '%' in the URI is not followed by two hex digits");

    String longUri = get("/" + "a".repeat(20_000), "");
    assertThat(longUri).startsWith("HTTP/1.1 414");
    assertThat(errorOf(longUri).path("message").asText())
        .isEqualTo(
            "the request's URI is too long: the request line and headers take at most 8192 bytes");
    String bigHeader = get("/status", "X-Big: " + "b".repeat(20_000) + "\r\n");
    assertThat(bigHeader).startsWith("HTTP/1.1 431");
    assertThat(errorOf(bigHeader).path("message").asText())
        .startsWith("the request's headers are too large");

    String version = raw("GET /status HTTP/3.7\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(version).startsWith("HTTP/1.1 505");
    assertThat(errorOf(version).path("code").asText())
        .as("the client's error, not the server's")
        .isEqualTo("invalid_parameter");
    assertThat(errorOf(version).path("message").asText()).contains("send HTTP/1.1");

    String control =
        raw("GET /st\u0001atus HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(errorOf(control).path("message").asText()).contains("Illegal character");
  }

  /** A GET of {@code target} with {@code headers} (each ending in CRLF) besides Host. */
  private static String get(String target, String headers) throws IOException {
    return raw(
        "GET "
            + target
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + headers
            + "Connection: close\r\n\r\n");
  }

  private static JsonNode errorOf(String response) {
    return Json.parse(response.substring(response.indexOf("\r\n\r\n") + 4)).path("error");
  }

  @Test
  void headAnswersWhatGetWouldWithoutTheBody() throws IOException {
    String status = raw("HEAD /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(status).startsWith("HTTP/1.1 200").contains("application/json");
    assertThat(status.substring(status.indexOf("\r\n\r\n") + 4)).as("no body").isEmpty();
    // Javalin's own HEAD answered 200 for any GET route, without running the route.
    String missing =
        raw(
            "HEAD /sessions/0190f0e0-0000-7000-8000-000000000000 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n");
    assertThat(missing).startsWith("HTTP/1.1 404");
    assertThat(missing.substring(missing.indexOf("\r\n\r\n") + 4)).isEmpty();
    String id = api.post("/sessions", "{\"cwd\":\"" + root + "\"}").json().get("id").asText();
    assertThat(
            raw(
                "HEAD /sessions/"
                    + id
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
    assertThat(
            raw(
                "HEAD /sessions/"
                    + id
                    + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
        .as("an event stream would never end")
        .startsWith("HTTP/1.1 405");
  }

  @Test
  void docsPageAndAssetsAreServedFromTheClasspath() {
    ApiClient.Response page = api.get("/docs");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body())
        .contains("/docs/init.js")
        .contains("/docs/swagger-ui-bundle.js")
        .doesNotContain("https://");
    assertThat(api.get("/docs/init.js").body()).contains("\"/openapi.json\"");
    ApiClient.Response bundle = api.get("/docs/swagger-ui-bundle.js");
    assertThat(bundle.status()).isEqualTo(200);
    assertThat(bundle.body().length()).isGreaterThan(100_000);
    api.get("/docs/..%2Fpom.properties").error(404, "not_found");
    api.get("/docs/index.html").error(404, "not_found");
    assertThat(api.get("/openapi.json").json().path("openapi").asText()).isEqualTo("3.1.0");
  }

  private static String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

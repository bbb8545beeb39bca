package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import goose.provider.fake.FakeOpenAiServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces leave the process only for the OTLP endpoint the operator names, and not even then when
 * telemetry is disabled. A loopback HTTP server plays the collector.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtlpExportTest {
  @TempDir Path root;
  private final FakeOpenAiServer openai = new FakeOpenAiServer();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private HttpServer collector;

  @BeforeEach
  void startCollector() throws Exception {
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getPath()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + exchange.getRequestHeaders().getFirst("X-Collector-Key")
                  + "\n"
                  + new String(body, StandardCharsets.ISO_8859_1));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
  }

  @AfterEach
  void stop() {
    collector.stop(0);
    openai.close();
  }

  private void runOneTurn(Map<String, String> extra) throws Exception {
    java.util.HashMap<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "GOOSE_PROVIDER",
                "openai",
                "OPENAI_HOST",
                openai.baseUri().toString(),
                "OPENAI_API_KEY",
                "sk-test",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + collector.getAddress().getPort(),
                "OTEL_EXPORTER_OTLP_HEADERS",
                "X-Collector-Key=k%20123"));
    env.putAll(extra);
    openai.enqueue(FakeOpenAiServer.text("hello"));
    try (TestServer goosed = TestServer.start(root, env)) {
      String id =
          goosed
              .client
              .post("/sessions", "{\"cwd\":\"" + root + "\",\"name\":\"t\"}")
              .json()
              .get("id")
              .asText();
      try (SseClient sse =
          SseClient.post(
              goosed.server.uri(), "/sessions/" + id + "/messages", "{\"content\":\"hi\"}")) {
        sse.untilComplete();
      }
    } // closing the server flushes the batch of spans
  }

  @Test
  void exportsTheTurnsSpansOverOtlpHttpToTheConfiguredEndpoint() throws Exception {
    runOneTurn(Map.of("OTEL_SERVICE_NAME", "goosed-test"));
    assertThat(received).isNotEmpty();
    String export = String.join("\n", received);
    assertThat(received.getFirst()).startsWith("POST /v1/traces application/x-protobuf k 123\n");
    // Protocol buffers keep strings as UTF-8 bytes: the span names and the service name are
    // readable.
    assertThat(export)
        .contains("goose.turn")
        .contains("goose.provider_call")
        .contains("goosed-test");
  }

  @Test
  void disableTelemetrySendsNothingEvenWithAnEndpointSet() throws Exception {
    runOneTurn(Map.of("GOOSE_DISABLE_TELEMETRY", "true"));
    assertThat(received).isEmpty();
  }
}

package goose.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.provider.openai.OpenAiEndpoint;
import goose.provider.openai.OpenAiProvider;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Provider connections are kept between calls when the server keeps them (HTTP/1.1 keep-alive), so
 * a tool loop or the next turn pays no new TCP or TLS handshake, and a reply whose end never comes
 * does not hold the turn. The scripted fakes close every connection, so this uses a small
 * keep-alive server of its own: a Chat Completions stream ending in {@code [DONE]}, then the end of
 * the chunked body.
 */
class ConnectionReuseTest {
  private final AtomicInteger connections = new AtomicInteger();
  private final CountDownLatch hang = new CountDownLatch(1);
  private ServerSocket server;

  @AfterEach
  void stop() throws IOException {
    hang.countDown();
    if (server != null) server.close();
  }

  @Test
  void aReplyReadWholeLeavesItsConnectionForTheNextCall() throws Exception {
    Provider provider = provider(false);
    for (int i = 0; i < 3; i++) assertThat(text(provider)).isEqualTo("hello");
    assertThat(connections.get()).isEqualTo(1);
  }

  @Test
  void aReplyWhoseBodyNeverEndsDoesNotHoldTheTurnAndItsConnectionIsNotReused() throws Exception {
    Provider provider = provider(true);
    assertThat(text(provider)).isEqualTo("hello");
    assertThat(text(provider)).isEqualTo("hello");
    // the first connection is still open (its body never ended), so the second call took another
    await().atMost(Duration.ofSeconds(30)).until(() -> connections.get() == 2);
  }

  private static String text(Provider provider) {
    StringBuilder text = new StringBuilder();
    try (ProviderStream stream = provider.stream(ProviderContractTest.ask("hi"))) {
      while (stream.hasNext())
        if (stream.next() instanceof ProviderEvent.TextDelta d) text.append(d.text());
    }
    return text.toString();
  }

  private Provider provider(boolean neverEnd) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  connections.incrementAndGet();
                  Thread.ofVirtual().start(() -> serve(s, neverEnd));
                } catch (IOException e) {
                  return;
                }
              }
            });
    URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions");
    ProviderHttp http = ProviderHttp.create(Duration.ofSeconds(20), RetryPolicy.of(0));
    return new OpenAiProvider(
        new ProviderSettings("openai", "gpt-test", 128_000, http),
        OpenAiEndpoint.bearer(uri, Optional.of("sk-test"), Map.of(), "max_completion_tokens"));
  }

  /** Answers requests on one connection until the client closes it. */
  private void serve(Socket socket, boolean neverEnd) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        int length = -1;
        String line = readLine(in);
        while (!line.isEmpty()) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            length = Integer.parseInt(line.substring(15).strip());
          line = readLine(in);
        }
        in.readNBytes(length);
        out.write(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        chunk(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hello\"}}]}\n\n");
        chunk(
            out,
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n");
        chunk(out, "data: [DONE]\n\n");
        out.flush();
        if (neverEnd) {
          hang.await(30, TimeUnit.SECONDS);
          return;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the client went away
    }
  }

  private static void chunk(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b = in.read();
    while (b != '\n') {
      if (b < 0) throw new IOException("connection closed");
      if (b != '\r') line.write(b);
      b = in.read();
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}

package goose.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for goosed behind nginx, written on a raw socket so every byte is sent when the test
 * says: {@code /stream} answers an event stream with one event, then holds the rest until {@link
 * #release()} (and sets no {@code X-Accel-Buffering}, so only the proxy configuration decides about
 * buffering); any other path answers with the request headers it received, one {@code name: value}
 * per line.
 */
final class EchoUpstream implements AutoCloseable {
  private final ServerSocket server;
  private final CountDownLatch release = new CountDownLatch(1);
  final AtomicInteger requests = new AtomicInteger();

  EchoUpstream() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("echo-upstream").start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  void release() {
    release.countDown();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      String requestLine = in.readLine();
      if (requestLine == null) return;
      requests.incrementAndGet();
      StringBuilder headers = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        headers
            .append(line.substring(0, colon).toLowerCase(Locale.ROOT))
            .append(": ")
            .append(line.substring(colon + 1).strip())
            .append('\n');
      }
      OutputStream out = socket.getOutputStream();
      if (requestLine.split(" ", -1)[1].equals("/stream")) {
        write(
            out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        chunk(out, "event: first\ndata: {\"n\":1}\n\n");
        release.await(30, TimeUnit.SECONDS);
        chunk(out, "event: last\ndata: {\"n\":2}\n\n");
        write(out, "0\r\n\r\n");
      } else {
        byte[] body = headers.toString().getBytes(StandardCharsets.UTF_8);
        write(
            out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n");
        out.write(body);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the test or nginx hung up; nothing to do
    }
  }

  private static void chunk(OutputStream out, String data) throws IOException {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    write(out, Integer.toHexString(bytes.length) + "\r\n");
    out.write(bytes);
    write(out, "\r\n");
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    release.countDown();
    server.close();
  }
}

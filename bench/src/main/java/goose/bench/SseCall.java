package goose.bench;

import goose.provider.SseDecoder;
import goose.provider.SseEvent;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 request on its own loopback connection whose response is read as Server-Sent Events,
 * each handed to a listener with the {@link System#nanoTime()} it was complete at. A raw socket
 * rather than java.net.http: thousands of these run at once in the harness and the client's own
 * cost must stay small and predictable.
 */
final class SseCall {
  /** One received event. */
  record Event(String name, String data, long atNanos) {}

  /** Gets every event; returns false to stop reading. */
  interface Listener {
    boolean onEvent(Event e);
  }

  private SseCall() {}

  /**
   * Sends the request and reads events until the listener stops or the stream ends; returns the
   * status.
   */
  static int run(
      int port,
      String method,
      String path,
      Map<String, String> headers,
      @Nullable String body,
      int timeoutMs,
      Listener listener)
      throws IOException {
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMs);
      s.setSoTimeout(timeoutMs);
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      StringBuilder req =
          new StringBuilder()
              .append(method)
              .append(' ')
              .append(path)
              .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
              .append(port)
              .append("\r\nAccept: text/event-stream\r\nConnection: close\r\n");
      if (body != null)
        req.append("Content-Type: application/json\r\nContent-Length: ")
            .append(b.length)
            .append("\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.write(b);
      out.flush();
      InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
      String status = HttpLines.readLine(in);
      if (status == null) throw new IOException("connection closed before a response");
      int code = Integer.parseInt(status.split(" ", -1)[1]);
      boolean chunked = false;
      String h;
      while ((h = HttpLines.readLine(in)) != null && !h.isEmpty()) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
      }
      InputStream body2 = chunked ? new ChunkedInput(in) : in;
      readEvents(body2, listener);
      return code;
    }
  }

  /** Decoded by the providers' own {@link SseDecoder}: one parser of the grammar everywhere. */
  static void readEvents(InputStream in, Listener listener) throws IOException {
    SseDecoder decoder = new SseDecoder(in);
    for (Optional<SseEvent> e = decoder.next(); e.isPresent(); e = decoder.next()) {
      if (!listener.onEvent(new Event(e.get().event().trim(), e.get().data(), System.nanoTime())))
        return;
    }
  }

  /** The decoded bytes of a chunked HTTP body. */
  private static final class ChunkedInput extends InputStream {
    private final InputStream in;
    private int left;
    private boolean done;

    ChunkedInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (!fill()) return -1;
      left--;
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (!fill()) return -1;
      int n = in.read(b, off, Math.min(len, left));
      if (n > 0) left -= n;
      return n;
    }

    private boolean fill() throws IOException {
      if (done) return false;
      if (left > 0) return true;
      if (left == 0 && started) HttpLines.readLine(in);
      started = true;
      left = HttpLines.nextChunkSize(in);
      if (left == 0) {
        done = true;
        return false;
      }
      return true;
    }

    private boolean started;
  }
}

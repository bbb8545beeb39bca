package goose.server.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events response written straight to the servlet response: headers committed at
 * once, then frames, each flushed unless the caller batches them. Written by hand on purpose:
 * Javalin's SSE helper only serves GET requests carrying {@code Accept: text/event-stream}, while a
 * turn streams from a POST, and we need our own keep-alives and ids. An {@link IOException} from a
 * write means the client has gone.
 */
public final class SseStream {
  private final OutputStream out;
  private long lastWriteNanos = System.nanoTime();

  public SseStream(HttpServletResponse response) throws IOException {
    response.setStatus(200);
    response.setContentType("text/event-stream;charset=utf-8");
    response.setHeader("Cache-Control", "no-cache, no-transform");
    response.setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer this response
    this.out = response.getOutputStream();
    out.flush(); // commit the headers now: the client sees the stream open before the first event
  }

  /** Writes one whole frame ({@code id:}/{@code event:}/{@code data:} lines and the blank line). */
  public void frame(String frame, boolean flush) throws IOException {
    out.write(frame.getBytes(StandardCharsets.UTF_8));
    if (flush) out.flush();
    lastWriteNanos = System.nanoTime();
  }

  /** An event with only a {@code data:} line (JSON text has no line breaks). */
  public void data(String json) throws IOException {
    frame("data: " + json + "\n\n", true);
  }

  /**
   * An SSE comment line: ignored by clients, keeps proxies from timing out and reveals a gone
   * client.
   */
  public void comment(String text) throws IOException {
    frame(": " + text + "\n\n", true);
  }

  public long nanosSinceLastWrite() {
    return System.nanoTime() - lastWriteNanos;
  }
}
